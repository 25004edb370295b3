// The time-series plugin's training-time estimate (TrainingEstimator): found on the loaded
// plugin, it times a few batches of the forecaster the request asks for, counts an epoch's
// batches from the training windows (the same count a training reports), scales with the
// epochs, writes nothing, and says what is missing.
#include "core/task/plugin_manager.h"
#include "core/task/training_estimate.h"
#include "timeseries_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

class TestTimeSeriesEstimate : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    TrainingEstimator *m_estimator = nullptr;
    QTemporaryDir m_dir;
    QString m_csv;

    static constexpr int kBatch = 16;

    QVariantMap arguments(int epochs, const QString &output) const
    {
        return {{u"csv"_s, m_csv},          {u"target"_s, u"value"_s}, {u"model"_s, u"lstm"_s}, {u"window"_s, 16},
                {u"hidden"_s, 16},          {u"layers"_s, 1},          {u"epochs"_s, epochs},   {u"batch"_s, kBatch},
                {u"name"_s, u"estimate"_s}, {u"output"_s, output}};
    }

    Result<TrainingEstimate> estimate(const QVariantMap &raw)
    {
        Result<QVariantMap> args = m_plugin->trainArguments().validate(raw);
        if (!args)
            return args.error();
        JobContext context;
        return m_estimator->estimateTraining(*args, context);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_manager.load({QStringLiteral(DW_PLUGIN_DIR)});
        m_plugin = m_manager.plugin(u"time-series"_s);
        QVERIFY2(m_plugin, "libtimeseries.so did not load");
        m_estimator = trainingEstimatorOf(m_plugin);
        QVERIFY2(m_estimator, "the time-series plugin has no TrainingEstimator");
        m_csv = m_dir.filePath(u"sine.csv"_s);
        QVERIFY(test::writeSineCsv(m_csv, 600, 0.1));
    }

    void countsTheBatchesOfAnEpochAsTrainingDoes()
    {
        const QString never = m_dir.filePath(u"never-written"_s);
        Result<TrainingEstimate> e = estimate(arguments(10, never));
        QVERIFY2(e, qPrintable(e ? QString() : e.error().text()));
        QVERIFY(e->trainSamples > 0);
        QCOMPARE(e->stepsPerEpoch, (e->trainSamples + kBatch - 1) / kBatch);
        QCOMPARE(e->epochs, 10);
        QVERIFY(e->secondsPerStep > 0.0);
        QVERIFY(e->measuredSteps >= 1);
        QVERIFY(e->validationSamples > 0);
        QVERIFY(qFuzzyCompare(e->totalSeconds,
                              10.0 * (double(e->stepsPerEpoch) * e->secondsPerStep + e->validationSecondsPerEpoch)));
        QVERIFY2(e->how.contains(u"lstm (1 × 16), window 16"_s), qPrintable(e->how));
        QVERIFY2(!QFileInfo::exists(never), "the estimate wrote the module folder");

        // A real training of one epoch sees as many windows as the estimate counted.
        Result<QVariantMap> args = m_plugin->trainArguments().validate(arguments(1, m_dir.filePath(u"trained"_s)));
        QVERIFY(args);
        JobContext context;
        Result<TaskResult> trained = m_plugin->train(*args, context);
        QVERIFY2(trained, qPrintable(trained ? QString() : trained.error().text()));
        QCOMPARE(taskResultToJson(*trained).value(u"train_windows"_s).toInteger(), e->trainSamples);
        QCOMPARE(taskResultToJson(*trained).value(u"val_windows"_s).toInteger(), e->validationSamples);
    }

    void twiceTheEpochsTwiceTheTime()
    {
        const QString never = m_dir.filePath(u"never-written"_s);
        Result<TrainingEstimate> five = estimate(arguments(5, never));
        Result<TrainingEstimate> ten = estimate(arguments(10, never));
        QVERIFY(five && ten);
        QCOMPARE(ten->stepsPerEpoch, five->stepsPerEpoch);
        // Twice the time at the rate each probe measured (how far apart the two rates are is
        // the machine's noise, logged below: on a shared 2-core machine back-to-back probes
        // differ by up to half).
        const double rate = ten->secondsPerStep / five->secondsPerStep;
        QVERIFY(qFuzzyCompare(ten->totalSeconds / five->totalSeconds, 2.0 * rate));
        qInfo("5 epochs: %.3f s, 10 epochs: %.3f s (%.5f and %.5f s per batch)", five->totalSeconds, ten->totalSeconds,
              five->secondsPerStep, ten->secondsPerStep);
        // The same measurement for twice the epochs: twice the time.
        QVERIFY(qFuzzyCompare(five->withEpochs(10).totalSeconds, 2.0 * five->totalSeconds));
        QCOMPARE(five->withEpochs(10).epochs, 10);
    }

    void saysWhatIsMissing()
    {
        QVariantMap raw = arguments(10, m_dir.filePath(u"never-written"_s));
        raw.insert(u"csv"_s, m_dir.filePath(u"no-such.csv"_s));
        Result<TrainingEstimate> e = estimate(raw);
        QVERIFY(!e);
        QCOMPARE(e.error().field, u"csv"_s);
    }

    void stopsWhenCancelled()
    {
        Result<QVariantMap> args =
            m_plugin->trainArguments().validate(arguments(10, m_dir.filePath(u"never-written"_s)));
        QVERIFY(args);
        std::atomic_bool cancelled{true};
        JobContext context(u"job"_s, &cancelled, {});
        QVERIFY(!m_estimator->estimateTraining(*args, context));
    }
};

QTEST_GUILESS_MAIN(TestTimeSeriesEstimate)
#include "test_timeseries_estimate.moc"
