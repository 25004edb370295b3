// The super-resolution plugin's training-time estimate (TrainingEstimator): found on the
// loaded plugin, it times a few batches of patches of the network the request asks for on
// L7_ETMs.tif, counts an epoch's batches from patches-per-epoch and the batch, scales with
// the epochs, writes nothing, and says what is missing.
#include "core/task/plugin_manager.h"
#include "core/task/training_estimate.h"
#include "shared_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kScene = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

}  // namespace

class TestSuperResEstimate : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    TrainingEstimator *m_estimator = nullptr;
    QTemporaryDir m_dir;

    QVariantMap arguments(int epochs, int patches, int batch) const
    {
        return {{u"raster"_s, QStringList{kScene}},
                {u"scale"_s, 2},
                {u"blocks"_s, 1},
                {u"filters"_s, 8},
                {u"patch"_s, 24},
                {u"patches-per-epoch"_s, patches},
                {u"batch"_s, batch},
                {u"epochs"_s, epochs},
                {u"name"_s, u"estimate"_s},
                {u"output"_s, m_dir.filePath(u"never-written"_s)}};
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
        m_plugin = m_manager.plugin(u"super-resolution"_s);
        QVERIFY2(m_plugin, "libsuperres.so did not load");
        m_estimator = trainingEstimatorOf(m_plugin);
        QVERIFY2(m_estimator, "the super-resolution plugin has no TrainingEstimator");
    }

    void countsTheBatchesOfAnEpoch_data()
    {
        QTest::addColumn<int>("patches");
        QTest::addColumn<int>("batch");
        QTest::newRow("96 patches, batches of 8") << 96 << 8;
        QTest::newRow("100 patches, batches of 8") << 100 << 8;
        QTest::newRow("96 patches, batches of 32") << 96 << 32;
    }

    void countsTheBatchesOfAnEpoch()
    {
        DW_REQUIRE_SHARED_FILE(kScene);
        QFETCH(int, patches);
        QFETCH(int, batch);
        Result<TrainingEstimate> e = estimate(arguments(10, patches, batch));
        QVERIFY2(e, qPrintable(e ? QString() : e.error().text()));
        QCOMPARE(e->trainSamples, qint64(patches));
        QCOMPARE(e->stepsPerEpoch, qint64((patches + batch - 1) / batch));
        QCOMPARE(e->epochs, 10);
        QVERIFY(e->secondsPerStep > 0.0);
        QVERIFY(e->measuredSteps >= 1);
        QVERIFY(e->validationSamples > 0);
        QVERIFY(qFuzzyCompare(e->totalSeconds,
                              10.0 * (double(e->stepsPerEpoch) * e->secondsPerStep + e->validationSecondsPerEpoch)));
        QVERIFY2(e->how.contains(u"1 × 8 network on 24 px patches"_s), qPrintable(e->how));
        QVERIFY2(!QFileInfo::exists(m_dir.filePath(u"never-written"_s)), "the estimate wrote the module folder");
    }

    void twiceTheEpochsTwiceTheTime()
    {
        DW_REQUIRE_SHARED_FILE(kScene);
        Result<TrainingEstimate> five = estimate(arguments(5, 96, 8));
        Result<TrainingEstimate> ten = estimate(arguments(10, 96, 8));
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
        QVariantMap raw = arguments(10, 96, 8);
        raw.remove(u"raster"_s);
        Result<QVariantMap> args = m_plugin->trainArguments().validate(raw);
        if (args) {  // the schema may leave the rasters to the plugin
            JobContext context;
            Result<TrainingEstimate> e = m_estimator->estimateTraining(*args, context);
            QVERIFY(!e);
            QCOMPARE(e.error().field, u"raster"_s);
        } else {
            QCOMPARE(args.error().field, u"raster"_s);
        }
    }

    void stopsWhenCancelled()
    {
        DW_REQUIRE_SHARED_FILE(kScene);
        Result<QVariantMap> args = m_plugin->trainArguments().validate(arguments(10, 96, 8));
        QVERIFY(args);
        std::atomic_bool cancelled{true};
        JobContext context(u"job"_s, &cancelled, {});
        QVERIFY(!m_estimator->estimateTraining(*args, context));
    }
};

QTEST_GUILESS_MAIN(TestSuperResEstimate)
#include "test_superres_estimate.moc"
