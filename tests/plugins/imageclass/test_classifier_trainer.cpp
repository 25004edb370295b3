// trainClassifier(): a tiny generated dataset trained with SmallCNN beats chance and leaves a
// complete module folder; resuming after a stop ends with bitwise the same weights as an
// uninterrupted run; cancel returns within one batch keeping the last checkpoint; a
// diverging loss stops with a clear message; bad input comes back as errors.
#include "plugins/imageclass/train/classifier_trainer.h"

#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/training_checkpoint.h"
#include "core/ml/training_history.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"
#include "shape_images.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace dw;
using namespace dw::imageclass;
using namespace Qt::StringLiterals;

namespace {

struct Recorder {
    std::atomic_bool cancel{false};
    QStringList messages, log;
    int progressAfterCancel = 0;
    QString cancelWhen;  // set the cancel flag on the first progress message containing this

    JobContext context()
    {
        JobContext::Callbacks callbacks;
        callbacks.progress = [this](double, const QString &message) {
            if (cancel.load())
                ++progressAfterCancel;
            messages << message;
            if (!cancelWhen.isEmpty() && message.contains(cancelWhen))
                cancel.store(true);
        };
        callbacks.log = [this](const QString &line) { log << line; };
        return JobContext(u"test"_s, &cancel, callbacks, u"cpu"_s);
    }
};

// The model of a module's last checkpoint (the weights after the last epoch, whichever was best).
NamedTensors lastModel(const QString &moduleDir)
{
    auto model = createModel({"smallcnn", 3, 3, 32});
    auto optimizer = ml::GroupedOptimizer::create({{"all", model->parameters(), 1.0}}, {});
    const auto loaded =
        ml::TrainingCheckpoint::load(checkpointPath(moduleDir), *model, optimizer.value()->optimizer(), torch::kCPU);
    return loaded.ok() ? stateDict(*model) : NamedTensors{};
}

bool sameTensors(const NamedTensors &a, const NamedTensors &b, QString *difference)
{
    if (a.empty() || a.size() != b.size()) {
        *difference = QStringLiteral("%1 vs %2 tensors").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first || !torch::equal(a[i].second, b[i].second)) {
            *difference = QString::fromStdString(a[i].first);
            return false;
        }
    }
    return true;
}

QString errorOf(const Result<TrainOutcome> &result)
{
    return result.ok() ? QString() : result.error().text();
}

}  // namespace

class TestClassifierTrainer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;

    TrainRequest request(const QString &name) const
    {
        TrainRequest r;
        r.dataPath = m_data;
        r.moduleDir = m_dir.filePath(name);
        r.architecture = u"smallcnn"_s;
        r.imageSize = 32;
        r.epochs = 3;
        r.batchSize = 16;
        r.learningRate = 3e-3;
        r.warmupEpochs = 0.5;
        r.workers = 2;
        r.seed = 7;
        r.valFraction = 0.25;
        r.testFraction = 0.15;
        return r;
    }

private Q_SLOTS:
    void initTestCase();
    void trainsAndWritesModule();
    void resumeIsBitwiseIdentical();
    void cancelWithinOneBatch();
    void earlyStoppingRestoresBest();
    void nanLossStops();
    void badInput_data();
    void badInput();
};

void TestClassifierTrainer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_data = m_dir.filePath(u"shapes"_s);
    QVERIFY(test::writeShapeImages(m_data,
                                   {{u"circle"_s, test::Shape::Circle, cv::Scalar(40, 40, 230)},
                                    {u"square"_s, test::Shape::Square, cv::Scalar(40, 230, 40)},
                                    {u"triangle"_s, test::Shape::Triangle, cv::Scalar(230, 40, 40)}},
                                   24, 32, 1));
}

void TestClassifierTrainer::trainsAndWritesModule()
{
    Recorder recorder;
    JobContext context = recorder.context();
    TrainRequest r = request(u"basic"_s);
    r.balancedClassWeights = true;
    r.labelSmoothing = 0.1;
    r.title = u"Shapes"_s;
    const Result<TrainOutcome> result = trainClassifier(r, context);
    QVERIFY2(result.ok(), qPrintable(errorOf(result)));
    const TrainOutcome &outcome = result.value();
    QCOMPARE(outcome.stopped, u"completed"_s);
    QCOMPARE(outcome.epochsRun, 3);
    QCOMPARE(outcome.classes, QStringList({u"circle"_s, u"square"_s, u"triangle"_s}));
    QVERIFY2(outcome.bestValAccuracy > 0.6, qPrintable(QString::number(outcome.bestValAccuracy)));  // chance: 1/3
    QVERIFY(!outcome.testSamples.empty());
    QVERIFY(outcome.testTop1 > 0.5);
    QCOMPARE(outcome.testTop5, 1.0);  // 3 classes: the truth is always among the top 5
    QVERIFY(outcome.imagesPerSecond > 0);

    // progress and logs
    QVERIFY(!recorder.messages.filter(u"epoch 3/3, batch"_s).isEmpty());
    QVERIFY(!recorder.messages.filter(u"loss"_s).isEmpty());
    QCOMPARE(recorder.log.filter(QRegularExpression(u"^epoch \\d/3: train loss"_s)).size(), 3);

    // the module folder
    const QString dir = outcome.moduleDir;
    QVERIFY(QFile::exists(dir + u"/weights.pt"_s));
    QVERIFY(QFile::exists(dir + u"/checkpoints/last.pt"_s));
    Result<ClassifierModule> module = readClassifierModule(dir);
    QVERIFY2(module.ok(), qPrintable(module.ok() ? QString() : module.error().text()));
    QCOMPARE(module->architecture, u"smallcnn"_s);
    QCOMPARE(module->labels, outcome.classes);
    QCOMPARE(module->channels, 3);
    QCOMPARE(module->width, 32);
    QCOMPARE(module->mean.size(), std::size_t(3));
    QCOMPARE(module->manifest.id, u"basic"_s);
    QCOMPARE(module->manifest.title, u"Shapes"_s);
    QVERIFY(module->manifest.parent.isEmpty());
    QCOMPARE(module->manifest.metrics.value("val_top1"_L1).toDouble(), outcome.bestValAccuracy);
    QVERIFY(module->manifest.metrics.contains("test_top1"_L1));
    QCOMPARE(module->manifest.hyperParameters.value("epochs"_L1).toInt(), 3);
    QCOMPARE(module->manifest.hyperParameters.value("label-smoothing"_L1).toDouble(), 0.1);
    const QJsonObject data = module->manifest.trainingData;
    QCOMPARE(data.value("images"_L1).toInt(), 72);
    QCOMPARE(data.value("per_class"_L1).toObject().value("square"_L1).toInt(), 24);
    QCOMPARE(data.value("train"_L1).toInt() + data.value("val"_L1).toInt() + data.value("test"_L1).toInt(), 72);
    QCOMPARE(data.value("format"_L1).toString(), u"folder-per-class"_s);
    QCOMPARE(data.value("hash"_L1).toString().size(), 64);

    Result<TrainingHistory> history = TrainingHistory::load(dir + u"/history.json"_s);
    QVERIFY(history.ok());
    QCOMPARE(history->epochs().size(), std::size_t(3));
    QCOMPARE(history->stopped(), u"completed"_s);
    QCOMPARE(history->bestEpoch(), outcome.bestEpoch);
    QVERIFY(history->epochs().back().trainLoss < history->epochs().front().trainLoss);
    QVERIFY(history->epochs().back().lr < history->epochs().front().lr);  // cosine decay
}

void TestClassifierTrainer::resumeIsBitwiseIdentical()
{
    Recorder a, b, c;
    JobContext contextA = a.context(), contextB = b.context(), contextC = c.context();
    TrainRequest whole = request(u"whole"_s);
    whole.optimizer = u"adamw"_s;  // moments and step counts must come back from the checkpoint
    const Result<TrainOutcome> uninterrupted = trainClassifier(whole, contextA);
    QVERIFY2(uninterrupted.ok(), qPrintable(errorOf(uninterrupted)));

    TrainRequest part = whole;
    part.moduleDir = m_dir.filePath(u"parts"_s);
    part.stopAfterEpoch = 1;
    const Result<TrainOutcome> first = trainClassifier(part, contextB);
    QVERIFY2(first.ok(), qPrintable(errorOf(first)));
    QCOMPARE(first->stopped, u"cancelled"_s);
    QCOMPARE(first->epochsRun, 1);
    QVERIFY(!QFile::exists(part.moduleDir + u"/weights.pt"_s));  // nothing but the checkpoint
    QVERIFY(!QFile::exists(part.moduleDir + u"/module.json"_s));
    QVERIFY(QFile::exists(checkpointPath(part.moduleDir)));

    part.stopAfterEpoch = 0;
    part.resume = true;
    const Result<TrainOutcome> rest = trainClassifier(part, contextC);
    QVERIFY2(rest.ok(), qPrintable(errorOf(rest)));
    QCOMPARE(rest->stopped, u"completed"_s);
    QCOMPARE(rest->epochsRun, 3);
    QVERIFY(!c.log.filter(u"resuming after epoch 1"_s).isEmpty());
    QCOMPARE(rest->bestEpoch, uninterrupted->bestEpoch);
    QCOMPARE(rest->bestValAccuracy, uninterrupted->bestValAccuracy);

    // the best model (weights.pt) and the last epoch's model (checkpoint) agree bit for bit
    std::string error;
    const auto wa = readStateDict((whole.moduleDir + u"/weights.pt"_s).toStdString(), &error);
    const auto wb = readStateDict((part.moduleDir + u"/weights.pt"_s).toStdString(), &error);
    QVERIFY2(wa && wb, error.c_str());
    QString difference;
    QVERIFY2(sameTensors(*wa, *wb, &difference), qPrintable(difference));
    QVERIFY2(sameTensors(lastModel(whole.moduleDir), lastModel(part.moduleDir), &difference), qPrintable(difference));
    // and differ from the model after the first epoch, so that the comparison means something
    QVERIFY(!sameTensors(lastModel(whole.moduleDir), *wa, &difference) || uninterrupted->bestEpoch == 3);
    // and the history's numbers (not the times) agree
    const auto ha = TrainingHistory::load(whole.moduleDir + u"/history.json"_s);
    const auto hb = TrainingHistory::load(part.moduleDir + u"/history.json"_s);
    QVERIFY(ha.ok() && hb.ok());
    QCOMPARE(ha->epochs().size(), hb->epochs().size());
    for (std::size_t i = 0; i < ha->epochs().size(); ++i) {
        QCOMPARE(ha->epochs()[i].trainLoss, hb->epochs()[i].trainLoss);
        QCOMPARE(ha->epochs()[i].valAccuracy, hb->epochs()[i].valAccuracy);
        QCOMPARE(ha->epochs()[i].lr, hb->epochs()[i].lr);
    }
}

void TestClassifierTrainer::cancelWithinOneBatch()
{
    Recorder recorder;
    recorder.cancelWhen = u"epoch 2/3, batch 1/"_s;
    JobContext context = recorder.context();
    TrainRequest r = request(u"cancelled"_s);
    r.batchSize = 8;  // several batches per epoch
    const Result<TrainOutcome> result = trainClassifier(r, context);
    QVERIFY2(result.ok(), qPrintable(errorOf(result)));
    QCOMPARE(result->stopped, u"cancelled"_s);
    QCOMPARE(result->epochsRun, 1);
    QCOMPARE(recorder.progressAfterCancel, 0);  // not one more batch trained
    QVERIFY(!QFile::exists(r.moduleDir + u"/weights.pt"_s));
    QVERIFY(!QFile::exists(r.moduleDir + u"/module.json"_s));
    const Result<ml::CheckpointData> checkpoint = ml::TrainingCheckpoint::peek(checkpointPath(r.moduleDir));
    QVERIFY2(checkpoint.ok(), qPrintable(checkpoint.ok() ? QString() : checkpoint.error().text()));
    QCOMPARE(checkpoint->epoch, 1);
    QCOMPARE(checkpoint->meta.value("history"_L1).toObject().value("epochs"_L1).toArray().size(), 1);
}

void TestClassifierTrainer::earlyStoppingRestoresBest()
{
    // The colour-coded shapes reach 100 % validation accuracy within a few epochs; nothing
    // can beat that, so patience 2 stops two epochs after the best and restores it.
    Recorder recorder;
    JobContext context = recorder.context();
    TrainRequest r = request(u"early"_s);
    r.epochs = 12;
    r.patience = 2;
    r.learningRate = 1e-2;
    r.schedule = u"constant"_s;
    const Result<TrainOutcome> result = trainClassifier(r, context);
    QVERIFY2(result.ok(), qPrintable(errorOf(result)));
    qInfo("best epoch %d (val accuracy %.3f), stopped after %d", result->bestEpoch, result->bestValAccuracy,
          result->epochsRun);
    QCOMPARE(result->stopped, u"early-stopping"_s);
    QCOMPARE(result->epochsRun, result->bestEpoch + 2);
    QVERIFY(!recorder.log.filter(u"early stopping"_s).isEmpty());
    const auto history = TrainingHistory::load(r.moduleDir + u"/history.json"_s);
    QVERIFY(history.ok());
    QCOMPARE(history->stopped(), u"early-stopping"_s);
    QCOMPARE(history->bestEpoch(), result->bestEpoch);
    QCOMPARE(int(history->epochs().size()), result->epochsRun);

    // weights.pt holds the best epoch's state the checkpoint kept, not the last epoch's
    auto model = createModel({"smallcnn", 3, 3, 32});
    auto optimizer = ml::GroupedOptimizer::create({{"all", model->parameters(), 1.0}}, {});
    const auto checkpoint =
        ml::TrainingCheckpoint::load(checkpointPath(r.moduleDir), *model, optimizer.value()->optimizer(), torch::kCPU);
    QVERIFY(checkpoint.ok());
    QCOMPARE(checkpoint->epoch, result->epochsRun);
    const auto weights = readStateDict((r.moduleDir + u"/weights.pt"_s).toStdString());
    QVERIFY(weights);
    QString difference;
    QVERIFY2(sameTensors(*weights, checkpoint->bestState, &difference), qPrintable(difference));
    QVERIFY(!sameTensors(*weights, stateDict(*model), &difference));
}

void TestClassifierTrainer::nanLossStops()
{
    Recorder recorder;
    JobContext context = recorder.context();
    TrainRequest r = request(u"diverged"_s);
    r.optimizer = u"sgd"_s;
    r.learningRate = 1e12;
    r.warmupEpochs = 0;
    r.schedule = u"constant"_s;
    const Result<TrainOutcome> result = trainClassifier(r, context);
    QVERIFY(!result.ok());
    const QString message = result.error().message;
    QVERIFY2(message.contains(QRegularExpression(u"the loss became (NaN|infinite) at epoch \\d+ batch \\d+"_s)),
             qPrintable(message));
    QVERIFY2(message.contains(u"lower the learning rate (now 1e+12"_s), qPrintable(message));
    QCOMPARE(result.error().field, u"lr"_s);
}

void TestClassifierTrainer::badInput_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("word");  // the message must contain it
    QTest::newRow("missing folder") << u"missing"_s << u"does-not-exist"_s;
    QTest::newRow("single class") << u"single"_s << u"class"_s;
    QTest::newRow("empty class") << u"empty"_s << u"empty"_s;
    QTest::newRow("freeze without parent") << u"freeze"_s << u"parent"_s;
    QTest::newRow("negative lr") << u"lr"_s << u"learning rate"_s;
    QTest::newRow("unknown architecture") << u"arch"_s << u"vgg"_s;
    QTest::newRow("resume without checkpoint") << u"resume"_s << u"checkpoint"_s;
}

void TestClassifierTrainer::badInput()
{
    QFETCH(QString, kind);
    QFETCH(QString, word);
    QTemporaryDir dir;
    TrainRequest r = request(u"bad-"_s + kind);
    if (kind == u"missing"_s) {
        r.dataPath = dir.filePath(u"does-not-exist"_s);
    } else if (kind == u"single"_s) {
        r.dataPath = dir.filePath(u"one"_s);
        QVERIFY(test::writeShapeImages(r.dataPath, {{u"only"_s, test::Shape::Circle}}, 6, 32, 3));
    } else if (kind == u"empty"_s) {
        r.dataPath = dir.filePath(u"two"_s);
        QVERIFY(test::writeShapeImages(r.dataPath, {{u"full"_s, test::Shape::Circle}}, 6, 32, 3));
        QVERIFY(QDir().mkpath(r.dataPath + u"/empty"_s));
    } else if (kind == u"freeze"_s) {
        r.freeze = u"head"_s;
    } else if (kind == u"lr"_s) {
        r.learningRate = -1;
    } else if (kind == u"arch"_s) {
        r.architecture = u"vgg16"_s;
    } else if (kind == u"resume"_s) {
        r.moduleDir = dir.filePath(u"fresh"_s);
        r.resume = true;
    }
    Recorder recorder;
    JobContext context = recorder.context();
    const Result<TrainOutcome> result = trainClassifier(r, context);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().text().contains(word, Qt::CaseInsensitive), qPrintable(result.error().text()));
}

QTEST_GUILESS_MAIN(TestClassifierTrainer)
#include "test_classifier_trainer.moc"
