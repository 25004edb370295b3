// Forecast metrics and naive baselines against values computed by hand, the zero-division
// cases (SMAPE with both values 0, R² of a constant series) and season-length estimation on
// generated and real series.
#include "core/io/table_reader.h"
#include "core/ml/forecast_metrics.h"

#include <QFile>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <random>

using namespace dw;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> periodic(int n, int period, double noise, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> gauss(0.0, noise);
    std::vector<double> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[size_t(i)] = 10 + 5 * std::sin(2 * M_PI * i / period) + gauss(rng);
    return v;
}

}  // namespace

class TestForecastMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scores_data()
    {
        QTest::addColumn<QList<double>>("observed");
        QTest::addColumn<QList<double>>("predicted");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<double>("mae");
        QTest::addColumn<double>("rmse");
        QTest::addColumn<double>("smape");
        QTest::addColumn<double>("r2");
        // errors 0, 1, −1, 2; SMAPE terms 0, 2/5, 2/5, 4/10; mean 2.5, SS_tot 5, SS_res 6.
        QTest::newRow("hand computed") << QList<double>{1, 2, 3, 4} << QList<double>{1, 3, 2, 6} << qint64(4) << 1.0
                                       << std::sqrt(1.5) << 30.0 << -0.2;
        QTest::newRow("perfect") << QList<double>{1, 2, 3} << QList<double>{1, 2, 3} << qint64(3) << 0.0 << 0.0 << 0.0
                                 << 1.0;
        // Both zero: the SMAPE term is 0, not 0/0; constant observations: R² 1 when exact.
        QTest::newRow("all zero") << QList<double>{0, 0} << QList<double>{0, 0} << qint64(2) << 0.0 << 0.0 << 0.0
                                  << 1.0;
        // Constant observations and an error: R² 0 (scikit-learn), SMAPE terms 2 and 0.
        QTest::newRow("constant observed")
            << QList<double>{0, 0} << QList<double>{1, 0} << qint64(2) << 0.5 << std::sqrt(0.5) << 100.0 << 0.0;
        // NaN pairs are left out: only (2, 4) and (6, 6) count.
        QTest::newRow("missing pairs") << QList<double>{2, kNaN, 6, 1} << QList<double>{4, 3, 6, kNaN} << qint64(2)
                                       << 1.0 << std::sqrt(2.0) << 100.0 * (4.0 / 6.0) / 2.0 << 1.0 - 4.0 / 8.0;
        QTest::newRow("opposite signs") << QList<double>{-1, 1} << QList<double>{1, -1} << qint64(2) << 2.0 << 2.0
                                        << 200.0 << 1.0 - 8.0 / 2.0;
    }
    void scores()
    {
        QFETCH(QList<double>, observed);
        QFETCH(QList<double>, predicted);
        QFETCH(qint64, count);
        QFETCH(double, mae);
        QFETCH(double, rmse);
        QFETCH(double, smape);
        QFETCH(double, r2);
        const ForecastScores s =
            ForecastMetrics::score({observed.begin(), observed.end()}, {predicted.begin(), predicted.end()});
        QCOMPARE(s.count, count);
        QVERIFY2(std::abs(s.mae - mae) < 1e-12, qPrintable(QString::number(s.mae)));
        QVERIFY2(std::abs(s.rmse - rmse) < 1e-12, qPrintable(QString::number(s.rmse)));
        QVERIFY2(std::abs(s.smape - smape) < 1e-9, qPrintable(QString::number(s.smape)));
        QVERIFY2(std::abs(s.r2 - r2) < 1e-12, qPrintable(QString::number(s.r2)));
    }

    void noPointsGivesNaNAndNull()
    {
        const ForecastScores s = ForecastMetrics::score({kNaN, 1}, {2, kNaN});
        QCOMPARE(s.count, qint64(0));
        QVERIFY(std::isnan(s.mae) && std::isnan(s.rmse) && std::isnan(s.smape) && std::isnan(s.r2));
        QVERIFY(s.toJson().value(QStringLiteral("mae")).isNull());
        QVERIFY(ForecastMetrics::score({}, {}).count == 0);
    }

    void baselines()
    {
        const std::vector<double> series{10, 12, 14, 13, 15, 17, 16};
        const std::vector<qsizetype> rows{4, 5, 6};
        QCOMPARE(ForecastMetrics::naiveForecast(series, rows, 1), (std::vector<double>{13, 15, 17}));
        QCOMPARE(ForecastMetrics::naiveForecast(series, rows, 2), (std::vector<double>{14, 13, 15}));
        QCOMPARE(ForecastMetrics::seasonalNaiveForecast(series, rows, 3, 1), (std::vector<double>{12, 14, 13}));
        // Two steps ahead with a season of 3: still one season back.
        QCOMPARE(ForecastMetrics::seasonalNaiveForecast(series, rows, 3, 2), (std::vector<double>{12, 14, 13}));
        // Four steps ahead: two seasons back; rows before the start are NaN.
        const auto far = ForecastMetrics::seasonalNaiveForecast(series, rows, 3, 4);
        QVERIFY(std::isnan(far[0]) && std::isnan(far[1]));
        QCOMPARE(far[2], 10.0);
    }

    void evaluateScoresAllOnTheSamePoints()
    {
        const std::vector<double> series{10, 12, 14, 13, 15, 17, 16};
        // Rows 1 and 2 have no seasonal-naive forecast (season 3): only rows 3..6 count.
        const std::vector<qsizetype> rows{1, 2, 3, 4, 5, 6};
        const std::vector<double> predicted{12, 14, 13, 14, 17, 18};
        const TargetForecastMetrics m = ForecastMetrics::evaluate(QStringLiteral("y"), series, rows, predicted, 3);
        QCOMPARE(m.model.count, qint64(4));
        QCOMPARE(m.naive.count, qint64(4));
        QCOMPARE(m.seasonalNaive.count, qint64(4));
        // model errors on rows 3..6: 0, 1, 0, 2 → 0.75; naive: 14→13 (1), 13→15 (2), 15→17 (2), 17→16 (1) → 1.5;
        // seasonal: 10→13 (3), 12→15 (3), 14→17 (3), 13→16 (3) → 3.
        QCOMPARE(m.model.mae, 0.75);
        QCOMPARE(m.naive.mae, 1.5);
        QCOMPARE(m.seasonalNaive.mae, 3.0);
        QCOMPARE(m.maeGainOverNaive(), 0.5);
        const QJsonObject json = m.toJson();
        QCOMPARE(json.value(QStringLiteral("mae")).toDouble(), 0.75);
        const QJsonObject baselines = json.value(QStringLiteral("baselines")).toObject();
        QCOMPARE(baselines.value(QStringLiteral("naive")).toObject().value(QStringLiteral("mae")).toDouble(), 1.5);
        const QJsonObject seasonal = baselines.value(QStringLiteral("seasonal_naive")).toObject();
        QCOMPARE(seasonal.value(QStringLiteral("mae")).toDouble(), 3.0);
        QCOMPARE(seasonal.value(QStringLiteral("season_length")).toInt(), 3);
        for (const char *key : {"mae", "rmse", "smape", "r2"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QVERIFY(ForecastMetrics::toJson({m}).contains(QStringLiteral("y")));
    }

    void seasonLength_data()
    {
        QTest::addColumn<int>("period");
        QTest::addColumn<double>("noise");
        QTest::newRow("monthly") << 12 << 0.5;
        QTest::newRow("weekly") << 7 << 0.3;
        QTest::newRow("hourly") << 24 << 1.0;
        QTest::newRow("long") << 50 << 0.5;
    }
    void seasonLength()
    {
        QFETCH(int, period);
        QFETCH(double, noise);
        const auto series = periodic(period * 20, period, noise, 7);
        QCOMPARE(ForecastMetrics::estimateSeasonLength(series), period);
    }

    void seasonLengthFallbacks()
    {
        QCOMPARE(ForecastMetrics::estimateSeasonLength(std::vector<double>(100, 3.0), 0, 12), 12);
        QCOMPARE(ForecastMetrics::estimateSeasonLength({1, 2, 3}, 0, 4), 4);
        // White noise has no season worth the name.
        std::mt19937 rng(3);
        std::normal_distribution<double> gauss;
        std::vector<double> noise(2000);
        for (double &v : noise)
            v = gauss(rng);
        QCOMPARE(ForecastMetrics::estimateSeasonLength(noise, 0, 1), 1);
        QCOMPARE(ForecastMetrics::calendarSeasonLength(TimeUnit::Month), 12);
        QCOMPARE(ForecastMetrics::calendarSeasonLength(TimeUnit::Quarter), 4);
        QCOMPARE(ForecastMetrics::calendarSeasonLength(TimeUnit::Day, 86400, true), 5);
        QCOMPARE(ForecastMetrics::calendarSeasonLength(TimeUnit::Second, 3600), 24);
        QCOMPARE(ForecastMetrics::calendarSeasonLength(TimeUnit::Year), 1);
    }

    void sunspotCycle()
    {
        // The solar cycle is about 11 years: yearly and monthly sunspot numbers must show it.
        if (!QFile::exists(QStringLiteral(DW_SHARED_DATA_DIR "/sunspots.csv")))
            QSKIP("../shared/data is not there");
        const auto yearly = TableReader::readFile(QStringLiteral(DW_SHARED_DATA_DIR "/sunspots.csv"));
        QVERIFY2(yearly.ok(), qPrintable(yearly.ok() ? QString() : yearly.error().text()));
        const int years = ForecastMetrics::estimateSeasonLength(yearly->table.column(0));
        QVERIFY2(years >= 9 && years <= 12, qPrintable(QString::number(years)));
        const auto monthly = TableReader::readFile(QStringLiteral(DW_SHARED_DATA_DIR "/sunspot_month.csv"));
        QVERIFY(monthly.ok());
        const int months = ForecastMetrics::estimateSeasonLength(monthly->table.column(0));
        QVERIFY2(months >= 9 * 12 && months <= 12 * 12, qPrintable(QString::number(months)));
    }
};

QTEST_GUILESS_MAIN(TestForecastMetrics)
#include "test_forecast_metrics.moc"
