// Metrics as a person reads them (issue 17 item 13): names from the keys' words, values with
// their units, lists of numbers summed up, nested objects as nested tables, never cut-off JSON.
#include "ui/catalog/metric_text.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace dw;

class TestMetricText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void names_data();
    void names();
    void values_data();
    void values();
    void nestedObjectsAreTables();
};

void TestMetricText::names_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("name");
    QTest::newRow("validation PSNR") << QStringLiteral("val_psnr") << QStringLiteral("Validation PSNR");
    QTest::newRow("top-1 accuracy") << QStringLiteral("top1_accuracy") << QStringLiteral("Top-1 accuracy");
    QTest::newRow("test top-1") << QStringLiteral("test_top1") << QStringLiteral("Test top-1 accuracy");
    QTest::newRow("naive MAE") << QStringLiteral("naive_mae") << QStringLiteral("MAE of the naive forecast");
    QTest::newRow("bicubic L1") << QStringLiteral("bicubic_val_l1")
                                << QStringLiteral("Validation L1 of bicubic upsampling");
    QTest::newRow("throughput") << QStringLiteral("images_per_second") << QStringLiteral("Images per second");
    QTest::newRow("gain in dB") << QStringLiteral("psnr_gain_db") << QStringLiteral("PSNR gain over bicubic");
    QTest::newRow("unknown words") << QStringLiteral("kappa_score") << QStringLiteral("Kappa score");
}

void TestMetricText::names()
{
    QFETCH(QString, key);
    QFETCH(QString, name);
    QCOMPARE(metricName(key), name);
}

void TestMetricText::values_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("accuracy in per cent")
        << QStringLiteral("test_top1") << QJsonValue(0.9312) << QStringLiteral("93.1 %");
    QTest::newRow("F1 in per cent") << QStringLiteral("macro_f1") << QJsonValue(0.9044) << QStringLiteral("90.4 %");
    QTest::newRow("PSNR in dB") << QStringLiteral("val_psnr") << QJsonValue(31.2345) << QStringLiteral("31.23 dB");
    QTest::newRow("per second") << QStringLiteral("windows_per_second") << QJsonValue(1234.56)
                                << QStringLiteral("1234.6/s");
    QTest::newRow("plain number") << QStringLiteral("naive_mae") << QJsonValue(12.3456789) << QStringLiteral("12.346");
    QTest::newRow("whole number") << QStringLiteral("best_epoch") << QJsonValue(7) << QStringLiteral("7");
    QTest::newRow("text") << QStringLiteral("scored_on") << QJsonValue(QStringLiteral("test"))
                          << QStringLiteral("test");
    QTest::newRow("list of PSNRs") << QStringLiteral("psnr_by_epoch") << QJsonValue(QJsonArray{30.0, 31.5, 31.25})
                                   << QStringLiteral("3 value(s), 30.00 dB to 31.50 dB; last 31.25 dB");
}

void TestMetricText::values()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    QCOMPARE(metricValue(key, value), text);
}

void TestMetricText::nestedObjectsAreTables()
{
    QJsonArray manyEpochs;
    for (int i = 0; i < 200; ++i)
        manyEpochs.append(20.0 + i * 0.01);
    const QJsonObject metrics{{QStringLiteral("mae"), 3.5},
                              {QStringLiteral("psnr_by_epoch"), manyEpochs},
                              {QStringLiteral("targets"), QJsonObject{{QStringLiteral("sunspots"),
                                                                       QJsonObject{{QStringLiteral("mae"), 12.5},
                                                                                   {QStringLiteral("rmse"), 17.25}}}}}};
    const QString html = metricsHtml(metrics);
    QVERIFY2(html.contains(QLatin1String("Per target")), qPrintable(html));
    QVERIFY(html.contains(QLatin1String("sunspots")));
    QVERIFY(html.contains(QLatin1String("RMSE")));
    QVERIFY(html.contains(QLatin1String("17.25")));
    QVERIFY(html.contains(QLatin1String("200 value(s)")));
    QVERIFY2(!html.contains(QLatin1String("{")) && !html.contains(QLatin1String("…")), qPrintable(html));
}

QTEST_MAIN(TestMetricText)
#include "test_metric_text.moc"
