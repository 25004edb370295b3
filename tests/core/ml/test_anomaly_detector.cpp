// Anomaly thresholds computed by hand (median, MAD, quantiles), severities, the degenerate
// residuals (MAD 0, all equal), bad settings, spikes injected into Gaussian noise, and the
// CSV/JSON export.
#include "core/ml/anomaly_detector.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using namespace dw;

class TestAnomalyDetector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void thresholds_data()
    {
        QTest::addColumn<QList<double>>("residuals");
        QTest::addColumn<int>("method");  // 0 MAD, 1 quantile
        QTest::addColumn<double>("parameter");
        QTest::addColumn<double>("center");
        QTest::addColumn<double>("mad");
        QTest::addColumn<double>("threshold");
        // median 3; |r − 3| = 2, 1, 0, 1, 97 → MAD 1: the outlier does not move it.
        QTest::newRow("mad, odd count, outlier")
            << QList<double>{1, 2, 3, 4, 100} << 0 << 3.0 << 3.0 << 1.0 << 3 * 1.4826;
        // median 2.5; deviations 1.5, 0.5, 0.5, 1.5 → MAD 1.
        QTest::newRow("mad, even count") << QList<double>{1, 2, 3, 4} << 0 << 2.0 << 2.5 << 1.0 << 2 * 1.4826;
        QTest::newRow("mad, negative center")
            << QList<double>{-10, -12, -11, -9, -13} << 0 << 4.0 << -11.0 << 1.0 << 4 * 1.4826;
        // NaNs are ignored.
        QTest::newRow("mad, NaN ignored")
            << QList<double>{1, std::nan(""), 2, 3, 4, 100} << 0 << 3.0 << 3.0 << 1.0 << 3 * 1.4826;
        // Deviations sorted 0, 1, 1, 2, 97: the median (q 0.5) is 1; q 0.9 sits at 3.6 → 2 + 0.6·95.
        QTest::newRow("quantile 0.5") << QList<double>{1, 2, 3, 4, 100} << 1 << 0.5 << 3.0 << 1.0 << 1.0;
        QTest::newRow("quantile 0.9") << QList<double>{1, 2, 3, 4, 100} << 1 << 0.9 << 3.0 << 1.0 << 59.0;
        // MAD 0 (most forecasts exact): mean absolute deviation 0.8 × √(π/2) instead.
        QTest::newRow("mad zero, fallback")
            << QList<double>{0, 0, 0, 0, 4} << 0 << 2.0 << 0.0 << 0.0 << 2 * 1.2533 * 0.8;
    }
    void thresholds()
    {
        QFETCH(QList<double>, residuals);
        QFETCH(int, method);
        QFETCH(double, parameter);
        QFETCH(double, center);
        QFETCH(double, mad);
        QFETCH(double, threshold);
        AnomalySettings settings;
        settings.method = method == 0 ? ThresholdMethod::Mad : ThresholdMethod::Quantile;
        (method == 0 ? settings.k : settings.quantile) = parameter;
        const auto d = AnomalyDetector::fromResiduals({residuals.begin(), residuals.end()}, settings);
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().text()));
        QCOMPARE(d->center(), center);
        QCOMPARE(d->mad(), mad);
        QVERIFY2(std::abs(d->threshold() - threshold) < 1e-9, qPrintable(QString::number(d->threshold(), 'g', 12)));
        QCOMPARE(d->warnings().isEmpty(), mad > 0 || method == 1);
    }

    void severities()
    {
        AnomalySettings settings;
        settings.k = 3;
        settings.criticalFactor = 2;
        const auto d = AnomalyDetector::fromResiduals({1, 2, 3, 4, 100}, settings, QStringLiteral("flow"));
        QVERIFY(d.ok());
        const double t = 3 * 1.4826;
        // residual 5 departs by 2 from the median 3: no alert.
        QVERIFY(!d->check(5, 0).has_value());
        // residual 10: 7 / t ≈ 1.57 → warning.
        const auto warning = d->check(10, 0, 42, QStringLiteral("1999-01"));
        QVERIFY(warning.has_value());
        QCOMPARE(warning->severity, AlertSeverity::Warning);
        QVERIFY(std::abs(warning->score - 7 / t) < 1e-12);
        QCOMPARE(warning->residual, 10.0);
        QCOMPARE(warning->target, QStringLiteral("flow"));
        QCOMPARE(warning->timeText, QStringLiteral("1999-01"));
        // residual −8: |−8 − 3| = 11 → 2.47 → critical (a drop alerts as well as a rise).
        const auto critical = d->check(0, 8);
        QVERIFY(critical.has_value());
        QCOMPARE(critical->severity, AlertSeverity::Critical);
        // Just above and just below the threshold.
        QVERIFY(d->check(3 + t + 1e-9, 0).has_value());
        QVERIFY(!d->check(3 + t - 1e-9, 0).has_value());
        QVERIFY(!d->check(std::nan(""), 0).has_value());
        // The band: no alert inside, alerts just outside.
        QCOMPARE(d->lowerBound(10), 10 + 3 - t);
        QCOMPARE(d->upperBound(10), 10 + 3 + t);
        QVERIFY(!d->check(d->upperBound(10) - 1e-9, 10).has_value());
        QVERIFY(d->check(d->lowerBound(10) - 1e-9, 10).has_value());
    }

    void badSettings_data()
    {
        QTest::addColumn<QList<double>>("residuals");
        QTest::addColumn<int>("method");
        QTest::addColumn<double>("parameter");
        QTest::addColumn<double>("critical");
        QTest::addColumn<QString>("message");
        QTest::newRow("too few") << QList<double>{1, 2} << 0 << 3.0 << 2.0 << "at least 3 validation residuals";
        QTest::newRow("all NaN") << QList<double>{std::nan(""), std::nan(""), std::nan("")} << 0 << 3.0 << 2.0
                                 << "there are 0";
        QTest::newRow("k zero") << QList<double>{1, 2, 3} << 0 << 0.0 << 2.0 << "k must be above 0";
        QTest::newRow("quantile 1") << QList<double>{1, 2, 3} << 1 << 1.0 << 2.0 << "between 0 and 1";
        QTest::newRow("critical below 1") << QList<double>{1, 2, 3} << 0 << 3.0 << 0.5 << "at least 1";
    }
    void badSettings()
    {
        QFETCH(QList<double>, residuals);
        QFETCH(int, method);
        QFETCH(double, parameter);
        QFETCH(double, critical);
        QFETCH(QString, message);
        AnomalySettings settings;
        settings.method = method == 0 ? ThresholdMethod::Mad : ThresholdMethod::Quantile;
        (method == 0 ? settings.k : settings.quantile) = parameter;
        settings.criticalFactor = critical;
        const auto d = AnomalyDetector::fromResiduals({residuals.begin(), residuals.end()}, settings);
        QVERIFY(!d.ok());
        QVERIFY2(d.error().message.contains(message), qPrintable(d.error().message));
    }

    void equalResidualsAlertOnAnyDeparture()
    {
        const auto d = AnomalyDetector::fromResiduals({1, 1, 1, 1});
        QVERIFY(d.ok());
        QVERIFY(d->threshold() > 0);
        QVERIFY(!d->warnings().isEmpty());
        QVERIFY(!d->check(1, 0).has_value());
        QVERIFY(d->check(1.001, 0).has_value());
    }

    void injectedSpikes()
    {
        // Validation residuals ~ N(0, 1); 10,000 new points of which 100 carry a spike of
        // ±6 to ±10 σ. At k = 3.5 every spike must be found and under 1 % of the rest flagged.
        std::mt19937 rng(11);
        std::normal_distribution<double> gauss(0.0, 1.0);
        std::vector<double> validation(2000);
        for (double &r : validation)
            r = gauss(rng);
        const auto d = AnomalyDetector::fromResiduals(validation);
        QVERIFY(d.ok());
        QVERIFY2(std::abs(d->threshold() - 3.5) < 0.3, qPrintable(QString::number(d->threshold())));
        const int n = 10000;
        std::vector<double> times(n), observed(n), expected(n);
        std::vector<bool> spike(n, false);
        std::uniform_real_distribution<double> size(6, 10);
        for (int i = 0; i < n; ++i) {
            times[size_t(i)] = i;
            expected[size_t(i)] = 100 + 10 * std::sin(i / 50.0);
            observed[size_t(i)] = expected[size_t(i)] + gauss(rng);
            if (i % 100 == 37) {
                spike[size_t(i)] = true;
                observed[size_t(i)] += (i % 200 == 37 ? 1 : -1) * size(rng);
            }
        }
        const QList<AnomalyAlert> alerts = d->scan(times, observed, expected);
        int found = 0, falseAlerts = 0;
        for (const AnomalyAlert &a : alerts)
            (spike[size_t(a.time)] ? found : falseAlerts) += 1;
        QVERIFY2(found >= 95, qPrintable(QString::number(found)));
        QVERIFY2(falseAlerts < n / 100, qPrintable(QString::number(falseAlerts)));
    }

    void jsonRoundTrip()
    {
        AnomalySettings settings;
        settings.method = ThresholdMethod::Quantile;
        settings.quantile = 0.9;
        settings.criticalFactor = 3;
        const auto d = AnomalyDetector::fromResiduals({1, 2, 3, 4, 100}, settings, QStringLiteral("DAX"));
        QVERIFY(d.ok());
        const auto back = AnomalyDetector::fromJson(d->toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->threshold(), d->threshold());
        QCOMPARE(back->center(), d->center());
        QCOMPARE(back->target(), QStringLiteral("DAX"));
        QCOMPARE(back->settings().criticalFactor, 3.0);
        QCOMPARE(back->settings().method, ThresholdMethod::Quantile);
        QJsonObject broken = d->toJson();
        broken.insert(QStringLiteral("threshold"), -1);
        QVERIFY(!AnomalyDetector::fromJson(broken).ok());
        broken = d->toJson();
        broken.insert(QStringLiteral("method"), QStringLiteral("magic"));
        QVERIFY(!AnomalyDetector::fromJson(broken).ok());
    }

    void exportCsvAndJson()
    {
        const auto d = AnomalyDetector::fromResiduals({1, 2, 3, 4, 100}, {}, QStringLiteral("flow, m3/s"));
        QVERIFY(d.ok());
        QList<AnomalyAlert> alerts;
        alerts.append(*d->check(20, 2, 0, QStringLiteral("1871")));
        AnomalyAlert numeric = *d->check(0, 30, 12);
        alerts.append(numeric);
        const QString csv = QString::fromUtf8(AnomalyDetector::alertsToCsv(alerts));
        const QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QStringLiteral("time,target,observed,expected,residual,score,severity"));
        QVERIFY2(lines[1].startsWith(QStringLiteral("1871,\"flow, m3/s\",20,2,18,")), qPrintable(lines[1]));
        QVERIFY2(lines[2].startsWith(QStringLiteral("12,\"flow, m3/s\",0,30,-30,")), qPrintable(lines[2]));
        QVERIFY(lines[2].endsWith(QStringLiteral(",critical")));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(AnomalyDetector::writeAlertsCsv(alerts, dir.filePath(QStringLiteral("alerts.csv"))).ok());
        QVERIFY(AnomalyDetector::writeAlertsJson(alerts, dir.filePath(QStringLiteral("alerts.json"))).ok());
        QFile json(dir.filePath(QStringLiteral("alerts.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray array = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(array.size(), 2);
        const QJsonObject first = array[0].toObject();
        QCOMPARE(first.value(QStringLiteral("time")).toString(), QStringLiteral("1871"));
        QCOMPARE(first.value(QStringLiteral("observed")).toDouble(), 20.0);
        QCOMPARE(first.value(QStringLiteral("expected")).toDouble(), 2.0);
        QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(array[1].toObject().value(QStringLiteral("time")).toDouble(), 12.0);
        const auto refused = AnomalyDetector::writeAlertsCsv(alerts, dir.filePath(QStringLiteral("no/such/dir/a.csv")));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("cannot write the alerts")),
                 qPrintable(refused.error().message));
    }
};

QTEST_GUILESS_MAIN(TestAnomalyDetector)
#include "test_anomaly_detector.moc"
