// Series preparation: choosing targets and inputs, filling gaps (linear, forward, edges),
// chronological splits, differencing and scaling round trips, sliding windows.
#include "core/io/series_preparation.h"
#include "core/io/series_scaler.h"
#include "core/io/sliding_windows.h"
#include "core/io/table_reader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <random>

using namespace dw;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

Table smallTable()
{
    Table t;
    t.names = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("empty")};
    t.columns = {{1, 2, 3, 4}, {10, kNaN, 30, 40}, {kNaN, kNaN, kNaN, kNaN}};
    t.timeName = QStringLiteral("year");
    t.timeFormat = TimeFormat::Year;
    for (int y = 2000; y < 2004; ++y)
        t.time.push_back(TimestampParser::yearStartSeconds(y));
    return t;
}

bool sameValues(const std::vector<double> &a, const std::vector<double> &b, double tolerance = 1e-9)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > tolerance)
            return false;
    return true;
}

}  // namespace

class TestSeriesPreparation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void selectByName()
    {
        const Table table = smallTable();
        const auto set =
            SeriesPreparation::select(table, {QStringLiteral("A")}, {QStringLiteral("b"), QStringLiteral("a")});
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().text()));
        QCOMPARE(set->targetNames, QStringList{QStringLiteral("a")});
        QCOMPARE(set->inputNames, QStringList{QStringLiteral("b")});  // "a" is already a target
        QCOMPARE(set->featureNames(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(set->length(), qsizetype(4));
        QCOMPARE(set->features().size(), size_t(2));
        QCOMPARE(set->time.size(), size_t(4));
    }

    void selectErrors_data()
    {
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<QStringList>("inputs");
        QTest::addColumn<QString>("message");
        QTest::newRow("no target") << QStringList{} << QStringList{} << "No target column chosen";
        QTest::newRow("unknown") << QStringList{QStringLiteral("x")} << QStringList{}
                                 << "There is no numeric column \"x\". The numeric columns are: a, b, empty.";
        QTest::newRow("time column") << QStringList{QStringLiteral("year")} << QStringList{}
                                     << "\"year\" is the time column";
        QTest::newRow("all missing target") << QStringList{QStringLiteral("empty")} << QStringList{}
                                            << "Column \"empty\" has no values: all 4 rows are missing";
        QTest::newRow("all missing input")
            << QStringList{QStringLiteral("a")} << QStringList{QStringLiteral("empty")} << "has no values";
    }
    void selectErrors()
    {
        QFETCH(QStringList, targets);
        QFETCH(QStringList, inputs);
        QFETCH(QString, message);
        const auto set = SeriesPreparation::select(smallTable(), targets, inputs);
        QVERIFY(!set.ok());
        QVERIFY2(set.error().message.contains(message), qPrintable(set.error().message));
    }

    void fill_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<int>("method");
        QTest::addColumn<QList<double>>("expected");
        QTest::addColumn<qint64>("leading");
        QTest::addColumn<qint64>("interior");
        QTest::addColumn<qint64>("trailing");
        QTest::newRow("linear") << QList<double>{kNaN, 1, kNaN, kNaN, 4, kNaN} << 0 << QList<double>{1, 1, 2, 3, 4, 4}
                                << qint64(1) << qint64(2) << qint64(1);
        QTest::newRow("forward") << QList<double>{kNaN, 1, kNaN, kNaN, 4, kNaN} << 1 << QList<double>{1, 1, 1, 1, 4, 4}
                                 << qint64(1) << qint64(2) << qint64(1);
        QTest::newRow("nothing missing") << QList<double>{3, 1, 2} << 0 << QList<double>{3, 1, 2} << qint64(0)
                                         << qint64(0) << qint64(0);
        QTest::newRow("two gaps") << QList<double>{0, kNaN, 2, kNaN, kNaN, kNaN, -2} << 0
                                  << QList<double>{0, 1, 2, 1, 0, -1, -2} << qint64(0) << qint64(4) << qint64(0);
        QTest::newRow("one value") << QList<double>{kNaN, 5, kNaN} << 1 << QList<double>{5, 5, 5} << qint64(1)
                                   << qint64(0) << qint64(1);
    }
    void fill()
    {
        QFETCH(QList<double>, values);
        QFETCH(int, method);
        QFETCH(QList<double>, expected);
        QFETCH(qint64, leading);
        QFETCH(qint64, interior);
        QFETCH(qint64, trailing);
        std::vector<double> v(values.begin(), values.end());
        const auto summary =
            SeriesPreparation::fill(v, method == 0 ? FillMethod::Linear : FillMethod::ForwardFill, QStringLiteral("x"));
        QVERIFY(summary.ok());
        QVERIFY(sameValues(v, {expected.begin(), expected.end()}));
        QCOMPARE(summary->leading, leading);
        QCOMPARE(summary->interior, interior);
        QCOMPARE(summary->trailing, trailing);
        QCOMPARE(summary->toJson().value(QStringLiteral("total")).toInt(), int(leading + interior + trailing));
    }

    void fillSetAndAllMissing()
    {
        auto set = SeriesPreparation::select(smallTable(), {QStringLiteral("a")}, {QStringLiteral("b")});
        QVERIFY(set.ok());
        const auto summaries = SeriesPreparation::fill(*set, FillMethod::Linear);
        QVERIFY(summaries.ok());
        QCOMPARE(summaries->size(), size_t(2));
        QCOMPARE((*summaries)[1].interior, qint64(1));
        QCOMPARE(set->inputs[0][1], 20.0);
        std::vector<double> empty{kNaN, kNaN};
        const auto refused = SeriesPreparation::fill(empty, FillMethod::Linear, QStringLiteral("z"));
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("no values to fill from")));
        QCOMPARE(SeriesPreparation::fillMethodFromId(QStringLiteral("ffill")), FillMethod::ForwardFill);
        QCOMPARE(SeriesPreparation::fillMethodFromId(QStringLiteral("linear")), FillMethod::Linear);
        QVERIFY(!SeriesPreparation::fillMethodFromId(QStringLiteral("spline")));
    }

    void split_data()
    {
        QTest::addColumn<qsizetype>("rows");
        QTest::addColumn<double>("train");
        QTest::addColumn<double>("validation");
        QTest::addColumn<QList<qsizetype>>("sizes");
        QTest::newRow("70/15/15") << qsizetype(100) << 0.7 << 0.15 << QList<qsizetype>{70, 15, 15};
        QTest::newRow("no test part") << qsizetype(10) << 0.8 << 0.2 << QList<qsizetype>{8, 2, 0};
        QTest::newRow("rounding to test") << qsizetype(3177) << 0.6 << 0.2 << QList<qsizetype>{1906, 635, 636};
        QTest::newRow("no validation") << qsizetype(10) << 0.8 << 0.0 << QList<qsizetype>{8, 0, 2};
    }
    void split()
    {
        QFETCH(qsizetype, rows);
        QFETCH(double, train);
        QFETCH(double, validation);
        QFETCH(QList<qsizetype>, sizes);
        const auto s = SeriesPreparation::split(rows, train, validation);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().text()));
        QCOMPARE(s->train.size(), sizes[0]);
        QCOMPARE(s->validation.size(), sizes[1]);
        QCOMPARE(s->test.size(), sizes[2]);
        QCOMPARE(s->train.begin, qsizetype(0));
        QCOMPARE(s->validation.begin, s->train.end);
        QCOMPARE(s->test.begin, s->validation.end);
        QCOMPARE(s->test.end, rows);
        QCOMPARE(s->toJson().value(QStringLiteral("test")).toObject().value(QStringLiteral("rows")).toInt(),
                 int(sizes[2]));
    }

    void splitErrors_data()
    {
        QTest::addColumn<qsizetype>("rows");
        QTest::addColumn<double>("train");
        QTest::addColumn<double>("validation");
        QTest::addColumn<qsizetype>("minRows");
        QTest::addColumn<QString>("message");
        QTest::newRow("train zero") << qsizetype(10) << 0.0 << 0.2 << qsizetype(1) << "training fraction";
        QTest::newRow("sum above 1") << qsizetype(10) << 0.8 << 0.3 << qsizetype(1) << "add up to more than 1";
        QTest::newRow("validation too short")
            << qsizetype(3) << 0.7 << 0.15 << qsizetype(1) << "validation part would get 0";
        QTest::newRow("shorter than window")
            << qsizetype(40) << 0.7 << 0.15 << qsizetype(12) << "validation part would get 6";
    }
    void splitErrors()
    {
        QFETCH(qsizetype, rows);
        QFETCH(double, train);
        QFETCH(double, validation);
        QFETCH(qsizetype, minRows);
        QFETCH(QString, message);
        const auto s = SeriesPreparation::split(rows, train, validation, minRows);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(message), qPrintable(s.error().message));
    }

    void differencingRoundTrip_data()
    {
        QTest::addColumn<int>("lag");
        QTest::newRow("lag 1") << 1;
        QTest::newRow("lag 12 (seasonal)") << 12;
    }
    void differencingRoundTrip()
    {
        QFETCH(int, lag);
        std::mt19937 rng(5);
        std::normal_distribution<double> gauss(0, 3);
        std::vector<double> x(200);
        double level = 50;
        for (double &v : x)
            v = (level += gauss(rng));
        const std::vector<double> d = SeriesPreparation::difference(x, lag);
        QCOMPARE(d.size(), x.size() - size_t(lag));
        QCOMPARE(d[0], x[size_t(lag)] - x[0]);
        const std::vector<double> history(x.begin(), x.begin() + lag);
        const std::vector<double> levels = SeriesPreparation::undifference(d, history, lag);
        QVERIFY(sameValues(levels, std::vector<double>(x.begin() + lag, x.end()), 1e-9));
        // A multi-step forecast of differences continues from the last observed values.
        const std::vector<double> forecastDiffs{1, 2, 3};
        const std::vector<double> ahead = SeriesPreparation::undifference(forecastDiffs, x, lag);
        QCOMPARE(ahead[0], x[x.size() - size_t(lag)] + 1);
        if (lag == 1) {
            QCOMPARE(ahead[1], x.back() + 3);
            QCOMPARE(ahead[2], x.back() + 6);
        }
        QVERIFY(SeriesPreparation::difference({1.0}, 1).empty());
    }

    void scalingRoundTrip_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("offset");
        QTest::addColumn<double>("scale");
        // Fitted on the first 8 rows only: 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, σ 2, min 2, max 9).
        QTest::newRow("min-max") << int(ScalingKind::MinMax) << 2.0 << 7.0;
        QTest::newRow("standard") << int(ScalingKind::Standard) << 5.0 << 2.0;
        QTest::newRow("none") << int(ScalingKind::None) << 0.0 << 1.0;
    }
    void scalingRoundTrip()
    {
        QFETCH(int, kind);
        QFETCH(double, offset);
        QFETCH(double, scale);
        std::vector<std::vector<double>> columns{{2, 4, 4, 4, 5, 5, 7, 9, 100, -50}, {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}};
        const auto original = columns;
        const auto scaler =
            SeriesScaler::fit(ScalingKind(kind), columns, {QStringLiteral("x"), QStringLiteral("flat")}, 0, 8);
        QVERIFY(scaler.ok());
        QCOMPARE(scaler->offset(0), offset);
        QCOMPARE(scaler->scale(0), scale);
        QCOMPARE(scaler->scale(1), 1.0);  // constant: no division by zero
        scaler->transform(columns);
        if (ScalingKind(kind) == ScalingKind::MinMax) {
            QCOMPARE(columns[0][0], 0.0);
            QCOMPARE(columns[0][7], 1.0);
        }
        const auto restored =
            SeriesScaler::fromJson(QJsonDocument::fromJson(QJsonDocument(scaler->toJson()).toJson()).object());
        QVERIFY(restored.ok());
        QCOMPARE(restored->kind(), ScalingKind(kind));
        QCOMPARE(restored->names(), (QStringList{QStringLiteral("x"), QStringLiteral("flat")}));
        restored->inverse(columns);
        QVERIFY(sameValues(columns[0], original[0], 1e-12));
        QVERIFY(sameValues(columns[1], original[1], 1e-12));
    }

    void scalingErrors()
    {
        QVERIFY(!SeriesScaler::fit(ScalingKind::MinMax, {{kNaN, kNaN, 1}}, {QStringLiteral("x")}, 0, 2).ok());
        QVERIFY(!SeriesScaler::fromJson(QJsonObject{{QStringLiteral("kind"), QStringLiteral("log")}}).ok());
        const QJsonObject badScale{{QStringLiteral("kind"), QStringLiteral("minmax")},
                                   {QStringLiteral("columns"), QJsonArray{QJsonObject{{QStringLiteral("offset"), 0},
                                                                                      {QStringLiteral("scale"), 0}}}}};
        QVERIFY(!SeriesScaler::fromJson(badScale).ok());
        QCOMPARE(SeriesScaler::kindFromId(QStringLiteral("z-score")), ScalingKind::Standard);
    }

    void windows()
    {
        // Feature 0 = row number, feature 1 = 100 + row; target = feature 0.
        std::vector<std::vector<double>> features(2, std::vector<double>(10));
        for (int r = 0; r < 10; ++r) {
            features[0][size_t(r)] = r;
            features[1][size_t(r)] = 100 + r;
        }
        const std::vector<std::vector<double>> targets{features[0]};
        const auto w = SlidingWindows::make(features, targets, 3, 2, 0, 10);
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().text()));
        QCOMPARE(w->count, qsizetype(6));  // forecast rows start at 3 … 8
        QCOMPARE(w->inputs.size(), size_t(6 * 3 * 2));
        QCOMPARE(w->outputs.size(), size_t(6 * 2 * 1));
        QCOMPARE(w->firstTargetRow.front(), qsizetype(3));
        QCOMPARE(w->firstTargetRow.back(), qsizetype(8));
        QCOMPARE(w->input(0, 0, 0), 0.0f);
        QCOMPARE(w->input(0, 2, 1), 102.0f);
        QCOMPARE(w->input(5, 2, 0), 7.0f);
        QCOMPARE(w->output(0, 0, 0), 3.0f);
        QCOMPARE(w->output(5, 1, 0), 9.0f);
        // Row-major [example][step][feature].
        QCOMPARE(w->inputs[1], 100.0f);

        // Validation rows 7..9 with the training rows before them as context.
        const auto v = SlidingWindows::make(features, targets, 3, 1, 7, 10);
        QVERIFY(v.ok());
        QCOMPARE(v->count, qsizetype(3));
        QCOMPARE(v->input(0, 0, 0), 4.0f);
        QCOMPARE(v->output(2, 0, 0), 9.0f);

        const auto strided = SlidingWindows::make(features, targets, 3, 1, 0, 10, 3);
        QVERIFY(strided.ok());
        QCOMPARE(strided->count, qsizetype(3));  // rows 3, 6, 9
        QCOMPARE(strided->firstTargetRow[2], qsizetype(9));

        const auto last = SlidingWindows::lastWindow(features, 3, -1);
        QVERIFY(last.ok());
        QCOMPARE(*last, (std::vector<float>{7, 107, 8, 108, 9, 109}));
    }

    void windowErrors()
    {
        std::vector<std::vector<double>> features{{0, 1, 2, 3, 4}};
        const auto tooShort = SlidingWindows::make(features, features, 4, 2, 0, 5);
        QVERIFY(!tooShort.ok());
        QVERIFY2(tooShort.error().message.contains(QStringLiteral("too short for a window of 4 and a horizon of 2")),
                 qPrintable(tooShort.error().message));
        QVERIFY(!SlidingWindows::make(features, features, 0, 1, 0, 5).ok());
        QVERIFY(!SlidingWindows::lastWindow(features, 6, -1).ok());
        features[0][2] = kNaN;
        const auto gap = SlidingWindows::make(features, features, 2, 1, 0, 5);
        QVERIFY(!gap.ok());
        QVERIFY2(gap.error().message.contains(QStringLiteral("fill the missing values")),
                 qPrintable(gap.error().message));
        const std::vector<std::vector<double>> other{{1, 2, 3}};
        QVERIFY(!SlidingWindows::make(features, other, 1, 1, 0, 3).ok());
    }

    void sunspotPipeline()
    {
        // The real monthly series end to end: select, fill, split, scale on training rows, windows.
        if (!QFile::exists(QStringLiteral(DW_SHARED_DATA_DIR "/sunspot_month.csv")))
            QSKIP("../shared/data is not there");
        const auto read = TableReader::readFile(QStringLiteral(DW_SHARED_DATA_DIR "/sunspot_month.csv"));
        QVERIFY(read.ok());
        auto set = SeriesPreparation::select(read->table, {QStringLiteral("sunspots")});
        QVERIFY(set.ok());
        QVERIFY(SeriesPreparation::fill(*set, FillMethod::Linear).ok());
        const auto split = SeriesPreparation::split(set->length(), 0.6, 0.2, 24);
        QVERIFY(split.ok());
        const auto scaler = SeriesScaler::fit(ScalingKind::MinMax, set->targets, set->targetNames, 0, split->train.end);
        QVERIFY(scaler.ok());
        auto features = set->features();
        scaler->transform(features);
        const auto train = SlidingWindows::make(features, features, 24, 1, 0, split->train.end);
        const auto test = SlidingWindows::make(features, features, 24, 1, split->test.begin, split->test.end);
        QVERIFY(train.ok() && test.ok());
        QCOMPARE(train->count, split->train.size() - 24);
        QCOMPARE(test->count, split->test.size());
    }
};

QTEST_GUILESS_MAIN(TestSeriesPreparation)
#include "test_series_preparation.moc"
