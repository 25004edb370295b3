// Single stream lines read with the layout of an imported table: values picked by name,
// each time format (date, year + quarter columns, decimal comma), repeated headers, and
// every malformed line with its reason.
#include "core/io/csv_line_parser.h"
#include "core/io/table_reader.h"

#include <QTest>

#include <cmath>

using namespace dw;

namespace {

ImportReport reportOf(const QByteArray &text)
{
    const auto r = TableReader::readText(text);
    return r.ok() ? r->report : ImportReport{};
}

}  // namespace

class TestCsvLineParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eustockLayout()
    {
        const auto imported = TableReader::readFile(QStringLiteral(DW_SHARED_DATA_DIR "/eustock.csv"));
        if (!imported.ok())
            QSKIP("../shared/data/eustock.csv is not there");
        const auto parser =
            CsvLineParser::fromReport(imported->report, {QStringLiteral("DAX"), QStringLiteral("ftse")});
        QVERIFY2(parser.ok(), qPrintable(parser.ok() ? QString() : parser.error().text()));
        QCOMPARE(parser->names(), (QStringList{QStringLiteral("DAX"), QStringLiteral("FTSE")}));
        QVERIFY(parser->hasTime());
        QCOMPARE(parser->fieldCount(), 5);
        const auto row = parser->parse("\"1998-08-17\",5400.5,7600,4000,5500.25\n");
        QVERIFY2(row.ok(), qPrintable(row.ok() ? QString() : row.error().text()));
        QCOMPARE(row->time, double(TimestampParser::daysFromCivil(1998, 8, 17)) * 86400.0);
        QCOMPARE(row->values, (std::vector<double>{5400.5, 5500.25}));
        QVERIFY(parser->isHeader("\"date\",\"DAX\",\"SMI\",\"CAC\",\"FTSE\""));
        QVERIFY(!parser->isHeader("\"1998-08-17\",5400.5,7600,4000,5500.25"));
        const auto gap = parser->parse("1998-08-18,NA,7600,4000,");
        QVERIFY(gap.ok());
        QVERIFY(std::isnan(gap->values[0]) && std::isnan(gap->values[1]));
        QVERIFY(!CsvLineParser::fromReport(imported->report, {QStringLiteral("NIKKEI")}).ok());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("too few fields") << QByteArray("2024-01-03,1") << "2 fields where the table has 3";
        QTest::newRow("too many fields") << QByteArray("2024-01-03,1,2,3") << "4 fields where the table has 3";
        QTest::newRow("bad time") << QByteArray("soon,1,2") << "the time \"soon\" is not a date (year-month-day)";
        QTest::newRow("text value") << QByteArray("2024-01-03,abc,2") << "\"abc\" in column \"a\" is not a number";
        QTest::newRow("blank") << QByteArray("  \n") << "a blank line";
        QTest::newRow("two lines") << QByteArray("2024-01-03,1,2\n2024-01-04,1,2\n") << "2 lines where one";
        QTest::newRow("NUL byte") << QByteArray("2024-01-03,1\0,2", 15) << "not text";
        QTest::newRow("unclosed quote") << QByteArray("2024-01-03,\"1,2") << "not text";
    }
    void malformed()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        const auto parser = CsvLineParser::fromReport(reportOf("date,a,b\n2024-01-01,1,2\n2024-01-02,3,4\n"),
                                                      {QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(parser.ok());
        const auto row = parser->parse(line);
        QVERIFY(!row.ok());
        QVERIFY2(row.error().message.contains(reason), qPrintable(row.error().message));
    }

    void otherLayouts()
    {
        // Year and quarter in two columns.
        const auto quarters = CsvLineParser::fromReport(reportOf("year,quarter,gdp\n1959,1,10\n1959,2,11\n1959,3,12\n"),
                                                        {QStringLiteral("gdp")});
        QVERIFY(quarters.ok());
        const auto q = quarters->parse("2009,4,99.5");
        QVERIFY(q.ok());
        QCOMPARE(TimestampParser::toText(q->time, TimeFormat::YearQuarterColumns), QStringLiteral("2009Q4"));
        QCOMPARE(q->values, std::vector<double>{99.5});
        QVERIFY(!quarters->parse("2009,5,99.5").ok());
        // Semicolons and decimal commas, day.month.year.
        const auto german = CsvLineParser::fromReport(reportOf("Datum;Wert\n01.03.2024;1,5\n02.03.2024;2,5\n"),
                                                      {QStringLiteral("Wert")});
        QVERIFY(german.ok());
        const auto g = german->parse("05.03.2024;-3,25\r\n");
        QVERIFY(g.ok());
        QCOMPARE(g->values, std::vector<double>{-3.25});
        QCOMPARE(TimestampParser::toText(g->time, TimeFormat::IsoDate), QStringLiteral("2024-03-05"));
        // No time column: rows only.
        const auto plain = CsvLineParser::fromReport(reportOf("x,y\n1,2\n3,5\n"), {QStringLiteral("y")});
        QVERIFY(plain.ok());
        QVERIFY(!plain->hasTime());
        const auto p = plain->parse("7,8");
        QVERIFY(p.ok() && std::isnan(p->time));
        QCOMPARE(p->values, std::vector<double>{8});
        QVERIFY(!CsvLineParser::fromReport(ImportReport{}, {QStringLiteral("y")}).ok());
    }
};

QTEST_GUILESS_MAIN(TestCsvLineParser)
#include "test_csv_line_parser.moc"
