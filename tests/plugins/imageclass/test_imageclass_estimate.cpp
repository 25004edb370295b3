// The image classification plugin's training-time estimate (TrainingEstimator): found on the
// loaded plugin, it times a few batches of the network the request asks for and counts an
// epoch's batches from the data (a folder with its own train/val split, so that the count is
// known), scales with the epochs, writes nothing, and says what is missing.
#include "core/task/plugin_manager.h"
#include "core/task/training_estimate.h"
#include "shape_images.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

class TestImageClassEstimate : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    TrainingEstimator *m_estimator = nullptr;
    QTemporaryDir m_dir;

    static constexpr int kTrainPerClass = 10, kValPerClass = 2, kClasses = 3, kBatch = 8;

    QVariantMap arguments(int epochs) const
    {
        return {{u"data"_s, m_dir.filePath(u"split"_s)},
                {u"arch"_s, u"smallcnn"_s},
                {u"image-size"_s, 32},
                {u"epochs"_s, epochs},
                {u"batch"_s, kBatch},
                {u"workers"_s, 1},
                {u"init"_s, u"random"_s},
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
        m_plugin = m_manager.plugin(u"image-classification"_s);
        QVERIFY2(m_plugin, "libimageclass.so did not load");
        m_estimator = trainingEstimatorOf(m_plugin);
        QVERIFY2(m_estimator, "the image classification plugin has no TrainingEstimator");
        const std::vector<test::ShapeClass> classes{
            {u"circle"_s, test::Shape::Circle}, {u"square"_s, test::Shape::Square}, {u"cross"_s, test::Shape::Cross}};
        QVERIFY(test::writeShapeImages(m_dir.filePath(u"split/train"_s), classes, kTrainPerClass, 32, 1));
        QVERIFY(test::writeShapeImages(m_dir.filePath(u"split/val"_s), classes, kValPerClass, 32, 2));
    }

    void countsTheBatchesOfAnEpochAndTimesThem()
    {
        Result<TrainingEstimate> e = estimate(arguments(10));
        QVERIFY2(e, qPrintable(e ? QString() : e.error().text()));
        QCOMPARE(e->trainSamples, qint64(kClasses * kTrainPerClass));
        QCOMPARE(e->validationSamples, qint64(kClasses * kValPerClass));
        QCOMPARE(e->stepsPerEpoch, qint64((kClasses * kTrainPerClass + kBatch - 1) / kBatch));
        QCOMPARE(e->epochs, 10);
        QVERIFY(e->secondsPerStep > 0.0);
        QVERIFY(e->measuredSteps >= 1);
        QVERIFY(e->totalSeconds > 0.0);
        QCOMPARE(e->device, u"cpu"_s);
        // The total is the epochs' batches at the measured rate, plus validation.
        QVERIFY(e->validationSecondsPerEpoch > 0.0);
        QVERIFY(qFuzzyCompare(e->totalSeconds,
                              10.0 * (double(e->stepsPerEpoch) * e->secondsPerStep + e->validationSecondsPerEpoch)));
        QVERIFY2(e->how.contains(u"smallcnn at 32 px"_s) && e->how.contains(u"30 training images"_s),
                 qPrintable(e->how));
        QVERIFY2(!QFileInfo::exists(m_dir.filePath(u"never-written"_s)), "the estimate wrote the module folder");
        // Through JSON (how the job hands it to the GUI) nothing is lost.
        const TrainingEstimate back = TrainingEstimate::fromJson(e->toJson());
        QCOMPARE(back.totalSeconds, e->totalSeconds);
        QCOMPARE(back.stepsPerEpoch, e->stepsPerEpoch);
        QCOMPARE(back.how, e->how);
    }

    void twiceTheEpochsTwiceTheTime()
    {
        Result<TrainingEstimate> five = estimate(arguments(5));
        Result<TrainingEstimate> ten = estimate(arguments(10));
        QVERIFY(five && ten);
        QCOMPARE(ten->stepsPerEpoch, five->stepsPerEpoch);
        // Twice the time at the rate each probe measured (how far apart the two rates are is
        // the machine's noise, logged below: on a shared 2-core machine back-to-back probes
        // differ by up to half).
        const double rate = ten->secondsPerStep / five->secondsPerStep;
        QVERIFY(qFuzzyCompare(ten->totalSeconds / five->totalSeconds, 2.0 * rate));
        qInfo("5 epochs: %.3f s, 10 epochs: %.3f s (%.4f and %.4f s per batch)", five->totalSeconds, ten->totalSeconds,
              five->secondsPerStep, ten->secondsPerStep);
        // The same measurement for twice the epochs: twice the time.
        QVERIFY(qFuzzyCompare(five->withEpochs(10).totalSeconds, 2.0 * five->totalSeconds));
        QCOMPARE(five->withEpochs(10).epochs, 10);
    }

    void aBiggerBatchTakesFewerSteps()
    {
        QVariantMap raw = arguments(10);
        raw.insert(u"batch"_s, 16);
        Result<TrainingEstimate> e = estimate(raw);
        QVERIFY2(e, qPrintable(e ? QString() : e.error().text()));
        QCOMPARE(e->stepsPerEpoch, qint64((kClasses * kTrainPerClass + 15) / 16));
    }

    // The estimate next to the run it estimates (logged, not asserted: timings on a shared
    // machine are not a test's business).
    void nextToARealRun()
    {
        Result<TrainingEstimate> e = estimate(arguments(10));
        QVERIFY2(e, qPrintable(e ? QString() : e.error().text()));
        QVariantMap raw = arguments(10);
        raw.insert(u"output"_s, m_dir.filePath(u"trained"_s));
        Result<QVariantMap> args = m_plugin->trainArguments().validate(raw);
        QVERIFY(args);
        JobContext context;
        QElapsedTimer clock;
        clock.start();
        Result<TaskResult> trained = m_plugin->train(*args, context);
        QVERIFY2(trained, qPrintable(trained ? QString() : trained.error().text()));
        qInfo("estimated %.2f s (%lld batches of %.4f s per epoch), trained in %.2f s (%.2f s in the epochs)",
              e->totalSeconds, e->stepsPerEpoch, e->secondsPerStep, double(clock.elapsed()) / 1000.0,
              taskResultToJson(*trained).value(u"seconds"_s).toDouble());
    }

    void saysWhatIsMissing()
    {
        QVariantMap raw = arguments(10);
        raw.insert(u"data"_s, m_dir.filePath(u"no-such-folder"_s));
        Result<TrainingEstimate> e = estimate(raw);
        QVERIFY(!e);
        QCOMPARE(e.error().field, u"data"_s);
    }

    void stopsWhenCancelled()
    {
        Result<QVariantMap> args = m_plugin->trainArguments().validate(arguments(10));
        QVERIFY(args);
        std::atomic_bool cancelled{true};
        JobContext context(u"job"_s, &cancelled, {});
        Result<TrainingEstimate> e = m_estimator->estimateTraining(*args, context);
        QVERIFY(!e);
    }
};

QTEST_GUILESS_MAIN(TestImageClassEstimate)
#include "test_imageclass_estimate.moc"
