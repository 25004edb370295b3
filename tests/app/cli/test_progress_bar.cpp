// ProgressBar: the bar line on a terminal (width, percentage, ETA, message) and the plain,
// throttled lines written to a pipe or a log file.
#include "progress_bar.h"

#include <QTemporaryFile>
#include <QtTest>

#include <cstdio>

using namespace dw::cli;
using namespace Qt::StringLiterals;

class TestProgressBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void durations_data();
    void durations();
    void renderShowsPercentEtaMessage();
    void renderFitsWidth();
    void renderClampsAndHandlesNaN();
    void logModeWritesPlainLines();
    void terminalModeRedrawsInPlace();
};

void TestProgressBar::durations_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << u"0:00"_s;
    QTest::newRow("seconds") << 7.4 << u"0:07"_s;
    QTest::newRow("minutes") << 754.0 << u"12:34"_s;
    QTest::newRow("hours") << 3723.0 << u"1:02:03"_s;
    QTest::newRow("negative") << -5.0 << u"0:00"_s;
}

void TestProgressBar::durations()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(ProgressBar::formatDuration(seconds), text);
}

void TestProgressBar::renderShowsPercentEtaMessage()
{
    // A quarter done after 30 s: 90 s to go.
    const QString line = ProgressBar::render(0.25, 30.0, u"epoch 1/4"_s, 200);
    QVERIFY2(line.startsWith(u"[######..................]  25%"_s), qPrintable(line));
    QVERIFY2(line.contains(u"ETA 1:30"_s), qPrintable(line));
    QVERIFY2(line.endsWith(u"epoch 1/4"_s), qPrintable(line));
    // A message with its own ETA keeps it; none is added.
    QVERIFY(!ProgressBar::render(0.25, 30.0, u"batch 3/9, eta 4m"_s, 200).contains(u"ETA"_s));
    // No estimate before 1 % is done.
    QVERIFY(!ProgressBar::render(0.001, 30.0, {}, 200).contains(u"ETA"_s));
    // Done: the elapsed time instead of an ETA.
    const QString done = ProgressBar::render(1.0, 65.0, {}, 200);
    QVERIFY2(done.contains(u"100%"_s) && done.contains(u"1:05"_s) && !done.contains(u"ETA"_s), qPrintable(done));
}

void TestProgressBar::renderFitsWidth()
{
    const QString line = ProgressBar::render(0.5, 10.0, QString(300, u'x'), 60);
    QCOMPARE(line.size(), 59);  // the last column is left free so that no terminal wraps
}

void TestProgressBar::renderClampsAndHandlesNaN()
{
    QVERIFY(ProgressBar::render(2.0, 1.0, {}, 80).contains(u"100%"_s));
    QVERIFY(ProgressBar::render(-1.0, 1.0, {}, 80).contains(u"  0%"_s));
    QVERIFY(ProgressBar::render(std::nan(""), 1.0, {}, 80).contains(u"  0%"_s));
}

void TestProgressBar::logModeWritesPlainLines()
{
    std::FILE *file = std::tmpfile();
    QVERIFY(file);
    {
        ProgressBar bar(file, false, 80);
        bar.update(0.0, u"starting"_s);
        for (int i = 1; i <= 100; ++i)
            bar.update(i / 100.0, u"batch %1/100"_s.arg(i));
        bar.log(u"epoch 1: loss 0.5"_s);
        bar.finish();
    }
    std::rewind(file);
    QByteArray text;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, qsizetype(n));
    std::fclose(file);
    QVERIFY2(!text.contains('\r') && !text.contains('\x1b'), text.constData());
    const QList<QByteArray> lines = text.trimmed().split('\n');
    // Throttled to about one line per tenth of the job, not one per update.
    QVERIFY2(lines.size() >= 10 && lines.size() <= 13, text.constData());
    QVERIFY2(lines.first().startsWith("[  0%] starting"), text.constData());
    QVERIFY2(text.contains("[100%] batch 100/100"), text.constData());
    QCOMPARE(lines.last(), QByteArray("epoch 1: loss 0.5"));
}

void TestProgressBar::terminalModeRedrawsInPlace()
{
    std::FILE *file = std::tmpfile();
    QVERIFY(file);
    {
        ProgressBar bar(file, true, 100);
        bar.update(0.5, u"half"_s);
        bar.log(u"a log line"_s);
        bar.finish();
    }
    std::rewind(file);
    QByteArray text;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, qsizetype(n));
    std::fclose(file);
    // The bar, erased for the log line, drawn again under it, ended with a newline.
    QVERIFY2(text.startsWith("\r\x1b[K["), text.constData());
    QVERIFY2(text.contains("\r\x1b[Ka log line\n\r\x1b[K["), text.constData());
    QVERIFY2(text.endsWith("half\n"), text.constData());
}

QTEST_APPLESS_MAIN(TestProgressBar)
#include "test_progress_bar.moc"
