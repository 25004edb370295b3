// What `make fuzz` found, pinned in the ordinary build: each case is the input a fuzzer
// reported (also kept in tests/fuzz/corpus/<target>/finding-*, which the fuzz runs replay
// first), with what the reader must say of it now.
#include "core/io/image_info.h"
#include "core/io/timestamp_parser.h"
#include "plugins/imageclass/data/split_file_reader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray finding(const QString &target, const QString &name)
{
    QFile file(QStringLiteral(DW_TEST_DATA_DIR "/../fuzz/corpus/") + target + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fuzz finding %s", qPrintable(file.fileName()));
    return file.readAll();
}

}  // namespace

class TestFuzzFindings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // fuzz_image_header: a PNG header whose height is above 2^31 came out negative, which
    // the pixel cap (width * height) would have let through.
    void pngSidesAboveIntAreHugeNotNegative()
    {
        const QByteArray png = finding(u"fuzz_image_header"_s, u"finding-png-height-over-int"_s);
        const dw::ImageInfo info =
            dw::ImageInfo::fromHeader(reinterpret_cast<const std::uint8_t *>(png.constData()), std::size_t(png.size()));
        QCOMPARE(info.format, u"png"_s);
        QCOMPARE(info.width, 0xc8c8);
        QCOMPARE(info.height, 1 << 30);  // 0xc8c8c8c8, held at the largest side we describe
        QVERIFY(info.sizeKnown());
        QVERIFY(qint64(info.width) * info.height > qint64(1) << 40);
    }

    // fuzz_timestamp: 2.8e27 read as Unix seconds (and so as milliseconds) gave a time past any
    // calendar, and turning it into text overflowed the day count.
    void unixTimeBeyondTheCalendarIsNotATime()
    {
        const QByteArray cell = finding(u"fuzz_timestamp"_s, u"finding-unix-time-3e23"_s);
        const std::string_view text(cell.constData(), std::size_t(cell.size()));
        QVERIFY(!dw::TimestampParser::parse(text, dw::TimeFormat::UnixSeconds));
        QVERIFY(!dw::TimestampParser::parse(text, dw::TimeFormat::UnixMilliseconds));
        QVERIFY(dw::TimestampParser::toText(3.2e23, dw::TimeFormat::IsoDateTime).isEmpty());
        QVERIFY(dw::TimestampParser::toText(-3.2e23, dw::TimeFormat::Year).isEmpty());
        // The calendar's ends still read.
        const auto last = dw::TimestampParser::parse("253402300799", dw::TimeFormat::UnixSeconds);
        QVERIFY(last);
        QCOMPARE(dw::TimestampParser::toText(last->seconds, dw::TimeFormat::IsoDateTime), u"9999-12-31T23:59:59Z"_s);
        QVERIFY(!dw::TimestampParser::parse("253402300800", dw::TimeFormat::UnixSeconds));
        const auto first = dw::TimestampParser::fromNumber(-9999, dw::TimeFormat::Year);
        QVERIFY(first);
        QCOMPARE(dw::TimestampParser::toText(first->seconds, dw::TimeFormat::Year), u"-9999"_s);
        const auto now = dw::TimestampParser::parse("1700000000000", dw::TimeFormat::UnixMilliseconds);
        QVERIFY(now);
        QCOMPARE(now->seconds, 1700000000.0);
    }

    // fuzz_split_files: a split file with the integer label 1666666666666666666 and no
    // classes.txt made the classes "0" to that number and took all memory. The input is cut at
    // its first three NUL bytes into train.txt, classes.txt, val.txt and test.txt (the rest), as
    // the fuzz target does; an empty piece is no file.
    void hugeClassNumberIsRefused()
    {
        const QByteArray input = finding(u"fuzz_split_files"_s, u"finding-huge-class-number"_s);
        QList<QByteArray> parts;
        qsizetype start = 0;
        while (parts.size() < 3) {
            const qsizetype nul = input.indexOf('\0', start);
            parts << input.mid(start, nul - start);
            start = nul + 1;
        }
        parts << input.mid(start);
        QTemporaryDir dir;
        for (const char *image :
             {"images/cat/1.jpg", "images/cat/2.jpg", "images/dog/3.png", "images/x.jpg", "images/y.tif"}) {
            const QString path = dir.filePath(QLatin1String(image));
            QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const char *names[] = {"train.txt", "classes.txt", "val.txt", "test.txt"};
        for (int i = 0; i < 4; ++i) {
            if (i > 0 && parts[i].isEmpty())
                continue;
            QFile file(dir.filePath(QLatin1String(names[i])));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(parts[i]);
        }
        QVERIFY(!QFile::exists(dir.filePath(u"classes.txt"_s)));
        QElapsedTimer clock;
        clock.start();
        const auto dataset = dw::imageclass::SplitFileReader::read(dir.path());
        QVERIFY(!dataset.ok());
        QVERIFY2(dataset.error().message.contains(u"label 1666666666666666666 is too large"_s),
                 qPrintable(QString(dataset.error().message).replace(QChar(0), u'~')));
        QVERIFY(dataset.error().message.contains(u"classes.txt"_s));
        QVERIFY(clock.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzFindings)
#include "test_fuzz_findings.moc"
