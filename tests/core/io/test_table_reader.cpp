// TableReader on a table of dialects (each delimiter, header or not, decimal comma, quotes,
// each time format, missing values, comments, BOM/CRLF), duplicates and unsorted rows,
// irregular sampling, every bad input with its message, the options, a file of several
// read blocks, and the real data sets in ../shared/data with their counts.
#include "core/io/table_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace dw;

namespace {

QString errorText(const Result<TableImport> &r)
{
    return r.ok() ? QString() : r.error().text();
}

QString dataPath(const char *name)
{
    return QStringLiteral(DW_SHARED_DATA_DIR "/") + QLatin1String(name);
}

}  // namespace

class TestTableReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Calendar steps: a year after a leap year, month ends, quarters, days, across 1970.
    void advanceByCalendarUnits_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<int>("unit");
        QTest::addColumn<int>("steps");
        QTest::addColumn<QString>("expected");
        QTest::newRow("year after a leap year") << "1968-01-01" << int(TimeUnit::Year) << 1 << "1969-01-01";
        QTest::newRow("years from Feb 29") << "1968-02-29" << int(TimeUnit::Year) << 1 << "1969-02-28";
        QTest::newRow("month end into February") << "2024-01-31" << int(TimeUnit::Month) << 1 << "2024-02-29";
        QTest::newRow("months across a year") << "1749-11-01" << int(TimeUnit::Month) << 3 << "1750-02-01";
        QTest::newRow("quarters") << "1959-10-01" << int(TimeUnit::Quarter) << 2 << "1960-04-01";
        QTest::newRow("years before 1970") << "1871-01-01" << int(TimeUnit::Year) << 100 << "1971-01-01";
        QTest::newRow("months backwards") << "1970-01-15" << int(TimeUnit::Month) << -1 << "1969-12-15";
        QTest::newRow("days") << "2024-02-28" << int(TimeUnit::Day) << 2 << "2024-03-01";
    }
    void advanceByCalendarUnits()
    {
        QFETCH(QString, from);
        QFETCH(int, unit);
        QFETCH(int, steps);
        QFETCH(QString, expected);
        const std::string text = from.toStdString();
        const auto start = TimestampParser::parse(text, TimeFormat::IsoDate);
        QVERIFY(start);
        QCOMPARE(TimestampParser::toText(TimestampParser::advance(start->seconds, TimeUnit(unit), steps),
                                         TimeFormat::IsoDate),
                 expected);
    }

    void dialects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<bool>("header");
        QTest::addColumn<QString>("decimal");
        QTest::addColumn<QString>("timeFormat");
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QList<double>>("firstRow");
        QTest::addColumn<QList<qint64>>("missing");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<QString>("firstTime");

        QTest::newRow("comma, ISO date") << QByteArray(
                                                "date,a,b\n2024-01-01,1.5,2\n2024-01-02,2.5,3\n2024-01-03,3.5,4\n")
                                         << "comma" << true << "."
                                         << "date" << QStringList{"a", "b"} << QList<double>{1.5, 2}
                                         << QList<qint64>{0, 0} << qint64(3) << "2024-01-01";
        QTest::newRow("semicolon, decimal comma, d.m.y")
            << QByteArray("Datum;Wert;Temp\n01.03.2024;1,5;-2,25\n02.03.2024;2,5;3\n03.03.2024;3,5;4,75\n")
            << "semicolon" << true << ","
            << "day-month-year" << QStringList{"Wert", "Temp"} << QList<double>{1.5, -2.25} << QList<qint64>{0, 0}
            << qint64(3) << "2024-03-01";
        QTest::newRow("tab, ISO date-time")
            << QByteArray("time\tvalue\n2024-01-01T00:00:00Z\t1\n2024-01-01T01:00:00Z\t2\n2024-01-01T02:00:00Z\t3\n")
            << "tab" << true << "."
            << "iso-datetime" << QStringList{"value"} << QList<double>{1} << QList<qint64>{0} << qint64(3)
            << "2024-01-01T00:00:00Z";
        QTest::newRow("pipe, Unix seconds")
            << QByteArray("ts|x\n1700000000|1\n1700000060|2\n1700000120|3\n") << "pipe" << true << "."
            << "unix-seconds" << QStringList{"x"} << QList<double>{1} << QList<qint64>{0} << qint64(3)
            << "2023-11-14T22:13:20Z";
        QTest::newRow("whitespace, year")
            << QByteArray("year  value  other\n1990   1.0  7\n1991   2.0  8\n1992   3.0  9\n") << "whitespace" << true
            << "."
            << "year" << QStringList{"value", "other"} << QList<double>{1, 7} << QList<qint64>{0, 0} << qint64(3)
            << "1990";
        QTest::newRow("no header, no time") << QByteArray("1,2\n3,4\n5,6\n") << "comma" << false << "."
                                            << "none" << QStringList{"column 1", "column 2"} << QList<double>{1, 2}
                                            << QList<qint64>{0, 0} << qint64(3) << "1";
        QTest::newRow("no header, date") << QByteArray("2024-01-01;5\n2024-01-02;6\n2024-01-03;7\n") << "semicolon"
                                         << false << "."
                                         << "date" << QStringList{"column 2"} << QList<double>{5} << QList<qint64>{0}
                                         << qint64(3) << "2024-01-01";
        QTest::newRow("quoted fields")
            << QByteArray("\"date\",\"value\",\"note\"\n\"2024-01-01\",1.5,\"said \"\"hi\"\", then left\"\n"
                          "\"2024-01-02\",2.5,\"two\nlines\"\n\"2024-01-03\",\"3.5\",plain\n")
            << "comma" << true << "."
            << "date" << QStringList{"value"} << QList<double>{1.5} << QList<qint64>{0} << qint64(3) << "2024-01-01";
        QTest::newRow("year-month") << QByteArray(
                                           "\"month\",\"sunspots\"\n\"1749-01\",58\n\"1749-02\",62.6\n\"1749-03\",70\n")
                                    << "comma" << true << "."
                                    << "year-month" << QStringList{"sunspots"} << QList<double>{58} << QList<qint64>{0}
                                    << qint64(3) << "1749-01";
        QTest::newRow("year-quarter text")
            << QByteArray("period,gdp\n1959Q1,1\n1959Q2,2\n1959-Q3,3\n") << "comma" << true << "."
            << "year-quarter" << QStringList{"gdp"} << QList<double>{1} << QList<qint64>{0} << qint64(3) << "1959Q1";
        QTest::newRow("year and quarter columns")
            << QByteArray("year,quarter,gdp\n1959,1,10\n1959,2,11\n1959,3,12\n1959,4,13\n1960,1,14\n") << "comma"
            << true << "."
            << "year+quarter-columns" << QStringList{"gdp"} << QList<double>{10} << QList<qint64>{0} << qint64(5)
            << "1959Q1";
        QTest::newRow("decimal year") << QByteArray(
                                             "time,spots\n1749.042,58\n1749.125,62.6\n1749.208,70\n1749.292,55.7\n")
                                      << "comma" << true << "."
                                      << "decimal-year" << QStringList{"spots"} << QList<double>{58} << QList<qint64>{0}
                                      << qint64(4) << "1749.042";
        QTest::newRow("Unix milliseconds")
            << QByteArray("timestamp,v\n1700000000000,1\n1700000001000,2\n1700000002000,3\n") << "comma" << true << "."
            << "unix-milliseconds" << QStringList{"v"} << QList<double>{1} << QList<qint64>{0} << qint64(3)
            << "2023-11-14T22:13:20Z";
        QTest::newRow("month/day/year") << QByteArray("date,v\n01/13/2024,1\n01/14/2024,2\n01/15/2024,3\n") << "comma"
                                        << true << "."
                                        << "month-day-year" << QStringList{"v"} << QList<double>{1} << QList<qint64>{0}
                                        << qint64(3) << "2024-01-13";
        QTest::newRow("d.m.y h:m, spreadsheet export")
            << QByteArray("Zeit;Wert\n01.03.2024 00:00;1\n01.03.2024 00:15;2\n01.03.2024 00:30;3\n") << "semicolon"
            << true << "."
            << "day-month-year-time" << QStringList{"Wert"} << QList<double>{1} << QList<qint64>{0} << qint64(3)
            << "2024-03-01T00:00:00Z";
        QTest::newRow("m/d/y h:m:s") << QByteArray("when,v\n3/13/2024 23:59:30,1\n3/14/2024 23:59:30,2\n") << "comma"
                                     << true << "."
                                     << "month-day-year-time" << QStringList{"v"} << QList<double>{1}
                                     << QList<qint64>{0} << qint64(2) << "2024-03-13T23:59:30Z";
        QTest::newRow("yyyymmdd") << QByteArray("date,v\n20240301,1\n20240302,2\n20240303,3\n") << "comma" << true
                                  << "."
                                  << "compact-date" << QStringList{"v"} << QList<double>{1} << QList<qint64>{0}
                                  << qint64(3) << "2024-03-01";
        QTest::newRow("missing values")
            << QByteArray(
                   "date,a,b\n2024-01-01,1,NA\n2024-01-02,,2\n2024-01-03,NaN,3\n2024-01-04,4,abc\n2024-01-05,null,5\n")
            << "comma" << true << "."
            << "date" << QStringList{"a", "b"} << QList<double>{1, NAN} << QList<qint64>{3, 2} << qint64(5)
            << "2024-01-01";
        QTest::newRow("BOM and CRLF") << QByteArray("\xEF\xBB\xBF"
                                                    "date,v\r\n2024-01-01,1\r\n2024-01-02,2\r\n")
                                      << "comma" << true << "."
                                      << "date" << QStringList{"v"} << QList<double>{1} << QList<qint64>{0} << qint64(2)
                                      << "2024-01-01";
        QTest::newRow("comment lines")
            << QByteArray("# exported by a logger\n# units: m\ndate,v\n2024-01-01,1\n2024-01-02,2\n") << "comma" << true
            << "."
            << "date" << QStringList{"v"} << QList<double>{1} << QList<qint64>{0} << qint64(2) << "2024-01-01";
        QTest::newRow("one column") << QByteArray("value\n1\n2\n3\n") << "comma" << true << "."
                                    << "none" << QStringList{"value"} << QList<double>{1} << QList<qint64>{0}
                                    << qint64(3) << "1";
        QTest::newRow("date-time with offsets")
            << QByteArray("when;x\n2024-01-01 01:00:00+01:00;1\n2024-01-01 01:00:00Z;2\n2024-01-01 02:00;3\n")
            << "semicolon" << true << "."
            << "iso-datetime" << QStringList{"x"} << QList<double>{1} << QList<qint64>{0} << qint64(3)
            << "2024-01-01T00:00:00Z";
    }
    void dialects()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, delimiter);
        QFETCH(bool, header);
        QFETCH(QString, decimal);
        QFETCH(QString, timeFormat);
        QFETCH(QStringList, names);
        QFETCH(QList<double>, firstRow);
        QFETCH(QList<qint64>, missing);
        QFETCH(qint64, rows);
        QFETCH(QString, firstTime);
        const auto r = TableReader::readText(text);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const ImportReport &report = r->report;
        QCOMPARE(report.delimiter, delimiter);
        QCOMPARE(report.header, header);
        QCOMPARE(QString(report.decimal), decimal);
        QCOMPARE(TimestampParser::formatId(report.timeFormat), timeFormat);
        QCOMPARE(r->table.names, names);
        QCOMPARE(r->table.rowCount(), rows);
        QCOMPARE(report.rows, rows);
        QCOMPARE(r->table.timeText(0), firstTime);
        for (qsizetype c = 0; c < names.size(); ++c) {
            const double got = r->table.column(c)[0];
            QVERIFY2(std::isnan(firstRow[c]) ? std::isnan(got) : got == firstRow[c],
                     qPrintable(QStringLiteral("column %1: %2").arg(c).arg(got)));
            QCOMPARE(report.columns[size_t(c)].missing, missing[c]);
        }
    }

    void quotedAndMissingDetails()
    {
        const auto quoted = TableReader::readText(
            "\"date\",\"value\",\"note\"\n\"2024-01-01\",1.5,\"a, b\"\n\"2024-01-02\",2.5,\"c\"\n");
        QVERIFY(quoted.ok());
        QCOMPARE(quoted->report.skippedColumns, QStringList{QStringLiteral("note")});
        const auto missing = TableReader::readText("date,a,b\n2024-01-01,1,NA\n2024-01-02,,2\n2024-01-03,4,abc\n");
        QVERIFY(missing.ok());
        const ColumnReport &b = missing->report.columns[1];
        QCOMPARE(b.nonNumeric, qint64(1));
        QCOMPARE(b.firstNonNumericLine, qint64(4));
        QCOMPARE(b.firstNonNumericText, QStringLiteral("\"abc\""));
        QVERIFY(missing->report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("first at line 4")));
        QCOMPARE(missing->report.commentLines, 0);
    }

    void rowNamesOfR_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("delimiter");
        QTest::newRow("write.csv") << QByteArray(
                                          "\"\",\"month\",\"sunspots\"\n\"1\",\"1749-01\",58\n\"2\",\"1749-02\",62.6\n"
                                          "\"3\",\"1749-03\",70\n")
                                   << "comma";
        // write.table leaves the row-name column without a name: the header is one field short.
        QTest::newRow("write.table") << QByteArray(
                                            "\"month\" \"sunspots\"\n\"1\" \"1749-01\" 58\n\"2\" \"1749-02\" 62.6\n"
                                            "\"3\" \"1749-03\" 70\n")
                                     << "whitespace";
    }
    void rowNamesOfR()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, delimiter);
        const auto r = TableReader::readText(text);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->report.delimiter, delimiter);
        QCOMPARE(r->table.names, QStringList{QStringLiteral("sunspots")});
        QCOMPARE(r->report.timeColumn, QStringLiteral("month"));
        QCOMPARE(r->report.skippedColumns, QStringList{QStringLiteral("column 1 (row numbers)")});
        QCOMPARE(r->report.fileColumns,
                 (QStringList{QStringLiteral("column 1"), QStringLiteral("month"), QStringLiteral("sunspots")}));
        QCOMPARE(r->table.column(0), (std::vector<double>{58, 62.6, 70}));
    }

    void counterIsNotTime()
    {
        // A rising byte counter in the first column looks like Unix seconds by range alone.
        QByteArray text("bytes_total,rate\n");
        qint64 counter = 1500000000;
        for (int i = 0; i < 50; ++i) {
            counter += 1000 + (i * 7919) % 50000;
            text += QByteArray::number(counter) + ',' + QByteArray::number(i) + '\n';
        }
        const auto r = TableReader::readText(text);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->report.timeFormat, TimeFormat::None);
        QCOMPARE(r->table.names, (QStringList{QStringLiteral("bytes_total"), QStringLiteral("rate")}));
        // The same numbers ticking every 60 s are a clock.
        const auto clock =
            TableReader::readText("stamp,rate\n1500000000,1\n1500000060,2\n1500000120,3\n1500000180,4\n");
        QVERIFY(clock.ok());
        QCOMPARE(clock->report.timeFormat, TimeFormat::UnixSeconds);
    }

    void duplicatesAndUnsorted_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<double>("merged");
        QTest::newRow("average") << int(DuplicatePolicy::Average) << 3.0;
        QTest::newRow("keep first") << int(DuplicatePolicy::KeepFirst) << 2.0;
        QTest::newRow("keep last") << int(DuplicatePolicy::KeepLast) << 4.0;
    }
    void duplicatesAndUnsorted()
    {
        QFETCH(int, policy);
        QFETCH(double, merged);
        TableReadOptions options;
        options.duplicates = DuplicatePolicy(policy);
        const auto r =
            TableReader::readText("date,v,w\n2024-01-03,3,30\n2024-01-01,1,10\n2024-01-02,2,\n2024-01-02,4,5\n",
                                  QStringLiteral("dup"), options);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.rowCount(), qsizetype(3));
        QVERIFY(!r->report.wasSorted);
        QCOMPARE(r->report.outOfOrder, qint64(1));
        QCOMPARE(r->report.duplicateTimes, qint64(1));
        QCOMPARE(r->table.timeText(0), QStringLiteral("2024-01-01"));
        QCOMPARE(r->table.timeText(2), QStringLiteral("2024-01-03"));
        QCOMPARE(r->table.column(0), (std::vector<double>{1, merged, 3}));
        // w is missing in the first duplicate: the average and keep-last take 5, keep-first keeps the gap.
        const double w = r->table.column(1)[1];
        if (DuplicatePolicy(policy) == DuplicatePolicy::KeepFirst)
            QVERIFY(std::isnan(w));
        else
            QCOMPARE(w, 5.0);
        QCOMPARE(r->report.columns[1].missing, qint64(DuplicatePolicy(policy) == DuplicatePolicy::KeepFirst ? 1 : 0));
        const QString warnings = r->report.warnings.join(QLatin1Char(' '));
        QVERIFY2(warnings.contains(QStringLiteral("sorted")) && warnings.contains(QStringLiteral("merged")),
                 qPrintable(warnings));
    }

    void sampling_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<bool>("businessDays");
        QTest::addColumn<double>("medianStep");
        QTest::addColumn<qint64>("irregular");
        QTest::addColumn<QList<qint64>>("where");
        // 2024-01-01 is a Monday; steps 1, 1, 2, 1, 1, 3 with a Saturday in the data.
        QTest::newRow("daily with gaps") << QByteArray("date,v\n2024-01-01,1\n2024-01-02,1\n2024-01-03,1\n2024-01-05,"
                                                       "1\n2024-01-06,1\n2024-01-07,1\n2024-01-10,1\n")
                                         << "day" << false << 1.0 << qint64(2) << QList<qint64>{3, 6};
        QTest::newRow("business days") << QByteArray("date,v\n2024-01-04,1\n2024-01-05,2\n2024-01-08,3\n2024-01-09,4\n")
                                       << "day" << true << 1.0 << qint64(0) << QList<qint64>{};
        QTest::newRow("business days, holiday")
            << QByteArray("date,v\n2024-01-04,1\n2024-01-05,2\n2024-01-09,3\n2024-01-10,4\n2024-01-11,4\n") << "day"
            << true << 1.0 << qint64(1) << QList<qint64>{2};
        QTest::newRow("seconds, one gap")
            << QByteArray("unix,v\n1700000000,1\n1700000060,2\n1700000120,3\n1700000240,4\n1700000300,5\n") << "second"
            << false << 60.0 << qint64(1) << QList<qint64>{3};
        QTest::newRow("months are regular") << QByteArray("m,v\n2024-01,1\n2024-02,2\n2024-03,3\n2024-04,4\n")
                                            << "month" << false << 1.0 << qint64(0) << QList<qint64>{};
        QTest::newRow("quarter hours") << QByteArray(
                                              "Zeit;Wert\n01.03.2024 00:00;1\n01.03.2024 00:15;2\n01.03.2024 00:45;3\n"
                                              "01.03.2024 01:00;4\n")
                                       << "second" << false << 900.0 << qint64(1) << QList<qint64>{2};
        QTest::newRow("decimal years rounded")
            << QByteArray("time,v\n1749.042,1\n1749.125,2\n1749.208,3\n1749.292,4\n1749.375,5\n") << "year" << false
            << 0.083 << qint64(0) << QList<qint64>{};
    }
    void sampling()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, unit);
        QFETCH(bool, businessDays);
        QFETCH(double, medianStep);
        QFETCH(qint64, irregular);
        QFETCH(QList<qint64>, where);
        const auto r = TableReader::readText(text);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const SamplingReport &s = r->report.sampling;
        QCOMPARE(TimestampParser::unitName(s.unit), unit);
        QCOMPARE(s.businessDays, businessDays);
        QVERIFY2(std::abs(s.medianStep - medianStep) < 1e-6, qPrintable(QString::number(s.medianStep)));
        QCOMPARE(s.irregularSteps, irregular);
        QCOMPARE(QList<qint64>(s.firstIrregularRows.begin(), s.firstIrregularRows.end()), where);
        QCOMPARE(r->report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("Irregular sampling")),
                 irregular > 0);
    }

    void singleRow()
    {
        const auto r = TableReader::readText("date,v\n2024-01-01,1\n");
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.rowCount(), qsizetype(1));
        QCOMPARE(r->report.sampling.describe(), QStringLiteral("a single time stamp: no sampling step"));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << "The file is empty";
        QTest::newRow("blank lines") << QByteArray("\n\n  \n") << "only blank lines";
        QTest::newRow("header only") << QByteArray("date,value\n") << "has a header (date, value) but no data rows";
        QTest::newRow("no numeric column") << QByteArray("name,city\nbob,paris\nann,rome\n") << "No column of numbers";
        QTest::newRow("time but no numbers")
            << QByteArray("date\n2024-01-01\n2024-01-02\n") << "No column of numbers was found (columns: date (time))";
        QTest::newRow("ragged rows")
            << QByteArray("date,a,b\n2024-01-01,1,2\n2024-01-02,3\n2024-01-03,4,5\n2024-01-04,6,7,8\n")
            << "2 row(s) do not have the 3 fields of the header: line 3 (2 fields), line 5 (4 fields)";
        QTest::newRow("binary junk") << QByteArray("PK\x03\x04\x00\x00\x08\x00garbage\x00\x01\x02", 19)
                                     << "binary data";
        QTest::newRow("invalid UTF-8") << QByteArray("date,v\n2024-01-01,1\n2024-01-02,caf\xC3\x28\n")
                                       << "Line 3 is not valid UTF-8";
        QTest::newRow("UTF-16") << QByteArray("\xFF\xFE"
                                              "d\0a\0t\0e\0",
                                              10)
                                << "UTF-16";
        QTest::newRow("unclosed quote") << QByteArray("date,v\n2024-01-01,\"1\n2024-01-02,2\n") << "never closed";
    }
    void badInput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto r = TableReader::readText(text, QStringLiteral("input.csv"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
        QCOMPARE(r.error().field, QStringLiteral("input.csv"));
    }

    void unreadableTimesAreDroppedAndCounted()
    {
        QByteArray text("date,v\n");
        for (int d = 1; d <= 20; ++d)
            text += QStringLiteral("2024-01-%1,%2\n").arg(d, 2, 10, QLatin1Char('0')).arg(d).toUtf8();
        text.replace("2024-01-05", "2024-13-45");
        const auto r = TableReader::readText(text);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.rowCount(), qsizetype(19));
        QCOMPARE(r->report.unreadableTimes, qint64(1));
        QCOMPARE(r->report.firstUnreadableTimeLine, qint64(6));
        QCOMPARE(r->report.sampling.irregularSteps, qint64(1));  // the dropped day leaves a gap
    }

    void binaryAfterTheSample()
    {
        // A NUL byte far past the bytes the detection looks at is still caught, with its line.
        QByteArray text("t,v\n");
        for (int i = 0; i < 20000; ++i)
            text += QByteArray::number(i) + ',' + QByteArray::number(i * 2) + '\n';
        text += QByteArray("20000,\0\n", 8);
        const auto r = TableReader::readText(text);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("Line 20002 holds binary data")),
                 qPrintable(r.error().message));
    }

    void options()
    {
        // Semicolon given: the commas are decimal commas then; no header given: the first row is data.
        TableReadOptions o;
        o.delimiter = ';';
        o.header = false;
        o.decimal = ',';
        o.noTimeColumn = true;
        const auto r = TableReader::readText("1,5;2\n2,5;3\n", QStringLiteral("x"), o);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.names, (QStringList{QStringLiteral("column 1"), QStringLiteral("column 2")}));
        QCOMPARE(r->table.column(0), (std::vector<double>{1.5, 2.5}));
        QVERIFY(!r->table.hasTime());
        // A time column by number; its format is detected.
        TableReadOptions byNumber;
        byNumber.timeColumn = QStringLiteral("2");
        const auto second =
            TableReader::readText("v,when\n1,2024-01-01\n2,2024-01-02\n", QStringLiteral("x"), byNumber);
        QVERIFY2(second.ok(), qPrintable(errorText(second)));
        QCOMPARE(second->report.timeColumn, QStringLiteral("when"));
        QCOMPARE(second->table.names, QStringList{QStringLiteral("v")});
        TableReadOptions unknown;
        unknown.timeColumn = QStringLiteral("stamp");
        const auto missing = TableReader::readText("v,when\n1,2024-01-01\n", QStringLiteral("x"), unknown);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QStringLiteral("There is no column \"stamp\"")));
        TableReadOptions notTime;
        notTime.timeColumn = QStringLiteral("v");
        const auto refused = TableReader::readText("v,w\nabc,1\ndef,2\n", QStringLiteral("x"), notTime);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("does not hold time stamps")));
    }

    void files()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("big.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // ~3.5 MiB: several 1 MiB blocks, with quoted fields (commas, doubled quotes) across their borders.
        const int rows = 100000;
        double sum = 0;
        file.write("ts,value,label\n");
        for (int i = 0; i < rows; ++i) {
            const double v = i * 0.25;
            sum += v;
            file.write(QByteArray::number(1600000000 + i) + ',' + QByteArray::number(v, 'f', 2) +
                       ",\"a, \"\"quoted\"\" label " + QByteArray::number(i) + "\"\n");
        }
        file.close();
        const auto r = TableReader::readFile(path);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.rowCount(), qsizetype(rows));
        QCOMPARE(r->report.timeFormat, TimeFormat::UnixSeconds);
        QCOMPARE(r->report.skippedColumns, QStringList{QStringLiteral("label")});
        double got = 0;
        for (double v : r->table.column(0))
            got += v;
        QCOMPARE(got, sum);
        QVERIFY(r->report.sampling.regular());
        QCOMPARE(r->report.bytes, QFileInfo(path).size());

        TableReadOptions small;
        small.maxBytes = 1000;
        const auto tooBig = TableReader::readFile(path, small);
        QVERIFY(!tooBig.ok());
        QVERIFY2(tooBig.error().message.contains(QStringLiteral("more than the 1000 bytes limit")),
                 qPrintable(tooBig.error().message));
        // A device of unknown size (a pipe) is stopped once it passes the limit.
        QFile stream(path);
        QVERIFY(stream.open(QIODevice::ReadOnly));
        const auto endless = TableReader::readDevice(&stream, QStringLiteral("pipe"), -1, small);
        QVERIFY(!endless.ok());
        QVERIFY2(endless.error().message.contains(QStringLiteral("passed the 1000 bytes limit for tables at line 2")),
                 qPrintable(endless.error().message));
        const auto absent = TableReader::readFile(dir.filePath(QStringLiteral("none.csv")));
        QVERIFY(!absent.ok());
        QVERIFY(absent.error().message.contains(QStringLiteral("does not exist")));
        const auto folder = TableReader::readFile(dir.path());
        QVERIFY(!folder.ok());
        QVERIFY(folder.error().message.contains(QStringLiteral("folder")));
    }

    void reportJson()
    {
        const auto r = TableReader::readText("date;a\n01.03.2024;1,5\n02.03.2024;\n04.03.2024;3\n");
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const QJsonObject json = r->report.toJson();
        QCOMPARE(json.value(QStringLiteral("delimiter")).toString(), QStringLiteral("semicolon"));
        QCOMPARE(json.value(QStringLiteral("decimal")).toString(), QStringLiteral(","));
        QCOMPARE(json.value(QStringLiteral("time_format")).toString(), QStringLiteral("day-month-year"));
        QCOMPARE(json.value(QStringLiteral("rows")).toInt(), 3);
        const QJsonObject column = json.value(QStringLiteral("columns")).toArray().at(0).toObject();
        QCOMPARE(column.value(QStringLiteral("name")).toString(), QStringLiteral("a"));
        QCOMPARE(column.value(QStringLiteral("missing")).toInt(), 1);
        const QJsonObject sampling = json.value(QStringLiteral("sampling")).toObject();
        QCOMPARE(sampling.value(QStringLiteral("irregular_steps")).toInt(), 1);
        QCOMPARE(sampling.value(QStringLiteral("unit")).toString(), QStringLiteral("day"));
        QVERIFY(!json.value(QStringLiteral("warnings")).toArray().isEmpty());
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<double>("seconds");
        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << int(TimeFormat::IsoDateTime) << true << 0.0;
        QTest::newRow("fraction") << QByteArray("1970-01-01T00:00:01.250") << int(TimeFormat::IsoDateTime) << true
                                  << 1.25;
        QTest::newRow("offset") << QByteArray("2024-01-01T01:00:00+01:00") << int(TimeFormat::IsoDateTime) << true
                                << 1704067200.0;
        QTest::newRow("leap day") << QByteArray("2024-02-29") << int(TimeFormat::IsoDate) << true << 1709164800.0;
        QTest::newRow("no leap day") << QByteArray("2023-02-29") << int(TimeFormat::IsoDate) << false << 0.0;
        QTest::newRow("month 13") << QByteArray("2024-13") << int(TimeFormat::YearMonth) << false << 0.0;
        QTest::newRow("before 1970") << QByteArray("1749-01") << int(TimeFormat::YearMonth) << true << -6974035200.0;
        QTest::newRow("quarter 5") << QByteArray("1959Q5") << int(TimeFormat::YearQuarter) << false << 0.0;
        QTest::newRow("year") << QByteArray("2000") << int(TimeFormat::Year) << true << 946684800.0;
        QTest::newRow("decimal year") << QByteArray("2000.5") << int(TimeFormat::DecimalYear) << true
                                      << 946684800.0 + 183 * 86400.0;
        QTest::newRow("d.m.y h:m") << QByteArray("29.02.2024 12:30") << int(TimeFormat::DayMonthYearTime) << true
                                   << 1709164800.0 + 12.5 * 3600;
        QTest::newRow("compact") << QByteArray("20240229") << int(TimeFormat::CompactDate) << true << 1709164800.0;
        QTest::newRow("compact, bad day") << QByteArray("20240230") << int(TimeFormat::CompactDate) << false << 0.0;
        QTest::newRow("garbage") << QByteArray("soon") << int(TimeFormat::IsoDate) << false << 0.0;
    }
    void timestamps()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, format);
        QFETCH(bool, valid);
        QFETCH(double, seconds);
        const auto t =
            TimestampParser::parse(std::string_view(text.constData(), size_t(text.size())), TimeFormat(format));
        QCOMPARE(t.has_value(), valid);
        if (valid)
            QCOMPARE(t->seconds, seconds);
    }

    void realFiles_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<int>("columns");
        QTest::addColumn<QString>("timeColumn");
        QTest::addColumn<QString>("timeFormat");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("last");
        QTest::addColumn<double>("firstValue");
        QTest::addColumn<QString>("sampling");
        QTest::newRow("sunspots") << dataPath("sunspots.csv") << qint64(309) << 1 << "YEAR"
                                  << "year"
                                  << "1700"
                                  << "2008" << 5.0 << "every year, regular";
        QTest::newRow("sunspot_month") << dataPath("sunspot_month.csv") << qint64(3177) << 1 << "month"
                                       << "year-month"
                                       << "1749-01"
                                       << "2013-09" << 58.0 << "every month, regular";
        QTest::newRow("nile") << dataPath("nile.csv") << qint64(100) << 1 << "year"
                              << "year"
                              << "1871"
                              << "1970" << 1120.0 << "every year, regular";
        QTest::newRow("macrodata") << dataPath("macrodata.csv") << qint64(203) << 12 << "year+quarter"
                                   << "year+quarter-columns"
                                   << "1959Q1"
                                   << "2009Q3" << 2710.349 << "every quarter, regular";
        QTest::newRow("eustock") << dataPath("eustock.csv") << qint64(1860) << 4 << "date"
                                 << "date"
                                 << "1991-07-01"
                                 << "1998-08-14" << 1628.75 << "business days, regular";
    }
    void realFiles()
    {
        QFETCH(QString, path);
        QFETCH(qint64, rows);
        QFETCH(int, columns);
        QFETCH(QString, timeColumn);
        QFETCH(QString, timeFormat);
        QFETCH(QString, first);
        QFETCH(QString, last);
        QFETCH(double, firstValue);
        QFETCH(QString, sampling);
        if (!QFile::exists(path))
            QSKIP("../shared/data is not there");
        // The counts from the file itself: lines after the header, fields of the header.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(qint64(lines.size() - 1), rows);
        const int timeFields = timeColumn.count(QLatin1Char('+')) + 1;
        QCOMPARE(int(lines.front().split(',').size()) - timeFields, columns);

        const auto r = TableReader::readFile(path);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->table.rowCount(), rows);
        QCOMPARE(r->table.columnCount(), qsizetype(columns));
        QCOMPARE(r->report.timeColumn, timeColumn);
        QCOMPARE(TimestampParser::formatId(r->report.timeFormat), timeFormat);
        QCOMPARE(r->table.timeText(0), first);
        QCOMPARE(r->table.timeText(rows - 1), last);
        QCOMPARE(r->table.column(0)[0], firstValue);
        QCOMPARE(r->report.sampling.describe(), sampling);
        QVERIFY(r->report.wasSorted);
        QCOMPARE(r->report.duplicateTimes, qint64(0));
        for (const ColumnReport &c : r->report.columns)
            QCOMPARE(c.missing, qint64(0));
        QVERIFY2(r->report.warnings.isEmpty(), qPrintable(r->report.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(r->report.delimiter, QStringLiteral("comma"));
        QVERIFY(r->report.header);
    }
};

QTEST_GUILESS_MAIN(TestTableReader)
#include "test_table_reader.moc"
