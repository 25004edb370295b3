// The one training skeleton (ml::EpochTraining) with a small regression task plugged in:
// typed progress per batch and per epoch, a bitwise resume, early stopping with the best
// weights put back, and cancel.
#include "core/ml/torch/epoch_training.h"
#include "core/ml/torch/random_state.h"

#include <torch/nn/modules/linear.h>
#include <torch/optim/sgd.h>
#include <torch/torch.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

// y = x·w + noise, learnt by a linear layer with SGD in shuffled batches of 8.
class RegressionTask : public ml::EpochTask {
public:
    explicit RegressionTask(double lr)
    {
        ml::RandomState::seed(7);
        m_x = torch::randn({64, 4});
        m_y = m_x.matmul(torch::tensor({1.0f, -2.0f, 0.5f, 3.0f}).unsqueeze(1)) + 0.1 * torch::randn({64, 1});
        m_net = torch::nn::Linear(4, 1);
        m_optimizer = std::make_unique<torch::optim::SGD>(m_net->parameters(), torch::optim::SGDOptions(lr));
    }

    torch::nn::Module &network() override { return *m_net; }
    torch::optim::Optimizer &optimizer() override { return *m_optimizer; }
    qint64 stepsPerEpoch() const override { return 6; }  // 48 training rows, batches of 8

    Result<ml::PassResult> trainEpoch(int, ml::StepReporter &steps) override
    {
        ml::PassResult result;
        const torch::Tensor order = torch::randperm(48);
        double sum = 0.0;
        for (int64_t b = 0; b < 6; ++b) {
            if (steps.cancelled() || (cancelAt && ++batchesSeen == cancelAt)) {
                result.cancelled = true;
                return result;
            }
            const torch::Tensor index = order.narrow(0, b * 8, 8);
            m_optimizer->zero_grad();
            const torch::Tensor loss =
                torch::mse_loss(m_net->forward(m_x.index_select(0, index)), m_y.index_select(0, index));
            loss.backward();
            m_optimizer->step();
            sum += loss.item<double>() * 8;
            result.samples += 8;
            steps.step(b, sum / double(result.samples), 0.05, result.samples);
        }
        result.metrics.append({u"train_loss"_s, sum / 48.0, false});
        result.seconds = 0.001;
        result.lastLr = 0.05;
        return result;
    }

    Result<ml::PassResult> validate(int) override
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor x = m_x.narrow(0, 48, 16), y = m_y.narrow(0, 48, 16);
        ml::PassResult result;
        result.metrics.append({u"val_loss"_s, torch::mse_loss(m_net->forward(x), y).item<double>(), false});
        return result;
    }

    QJsonObject checkpointMeta() const override { return {{u"task"_s, u"regression"_s}}; }

    torch::Tensor weights() const { return m_net->weight.detach().clone(); }
    int cancelAt = 0;  // cancel at this batch of the run (from 1); 0: never
    int batchesSeen = 0;

private:
    torch::Tensor m_x, m_y;
    torch::nn::Linear m_net{nullptr};
    std::unique_ptr<torch::optim::SGD> m_optimizer;
};

struct Recorder {
    QList<TrainingProgress> steps, epochs;
    QStringList log;
    std::atomic_bool cancel{false};
    JobContext context()
    {
        JobContext::Callbacks callbacks;
        callbacks.training = [this](const TrainingProgress &p) { (p.isStep() ? steps : epochs).append(p); };
        callbacks.log = [this](const QString &line) { log << line; };
        return JobContext(u"test"_s, &cancel, callbacks);
    }
};

ml::EpochTrainingOptions optionsFor(const QString &folder, int epochs)
{
    ml::EpochTrainingOptions options;
    options.epochs = epochs;
    options.monitored = u"val_loss"_s;
    options.unit = u"rows"_s;
    options.checkpointPath = QDir(folder).filePath(u"checkpoints/last.pt"_s);
    options.mustMatch = {u"task"_s};
    return options;
}

}  // namespace

class TestEpochTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reportsEveryBatchAndEpoch()
    {
        QTemporaryDir dir;
        Recorder recorder;
        JobContext context = recorder.context();
        RegressionTask task(0.05);
        ml::EpochTraining training(optionsFor(dir.path(), 3), context);
        Result<ml::EpochTrainingOutcome> outcome = training.run(task);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
        QCOMPARE(outcome->stopped, TrainingHistory::stoppedCompleted());
        QCOMPARE(outcome->epochsRun, 3);
        QCOMPARE(recorder.steps.size(), 18);
        QCOMPARE(recorder.steps.last().step, 6);
        QCOMPARE(recorder.steps.last().etaSeconds, 0.0);
        QCOMPARE(recorder.epochs.size(), 3);
        for (const TrainingProgress &e : recorder.epochs) {
            QVERIFY(e.metric(u"train_loss"_s));
            QVERIFY(e.metric(u"val_loss"_s));
            QCOMPARE(e.monitored, u"val_loss"_s);
        }
        // The loss falls, so every epoch is the best so far.
        QVERIFY(recorder.epochs.last().best);
        QVERIFY(*recorder.epochs.last().metric(u"val_loss"_s) < *recorder.epochs.first().metric(u"val_loss"_s));
        QCOMPARE(training.history().epochs().size(), std::size_t(3));
        QCOMPARE(training.history().epochs().back().metrics, recorder.epochs.last().metrics);
        QVERIFY(QFileInfo::exists(QDir(dir.path()).filePath(u"checkpoints/last.pt"_s)));
        QCOMPARE(recorder.log.filter(u"epoch 3/3: train loss"_s).size(), 1);
    }

    // Stopped after epoch 2 and resumed by a new process-like run: the same weights, bit for
    // bit, as four epochs straight (the shuffles come from the restored random generators).
    void resumesBitwise()
    {
        QTemporaryDir straightDir, splitDir;
        Recorder a, b, c;
        JobContext ca = a.context(), cb = b.context(), cc = c.context();
        RegressionTask straight(0.05);
        ml::EpochTraining whole(optionsFor(straightDir.path(), 4), ca);
        QVERIFY(whole.run(straight));

        RegressionTask first(0.05);
        ml::EpochTrainingOptions options = optionsFor(splitDir.path(), 4);
        options.stopAfterEpoch = 2;
        ml::EpochTraining part(options, cb);
        Result<ml::EpochTrainingOutcome> stopped = part.run(first);
        QVERIFY(stopped);
        QCOMPARE(stopped->stopped, TrainingHistory::stoppedCancelled());

        torch::manual_seed(12345);  // whatever ran in between
        RegressionTask second(0.05);
        options.stopAfterEpoch = 0;
        options.resume = true;
        ml::EpochTraining rest(options, cc);
        QVERIFY(rest.resume(second));
        QCOMPARE(rest.startEpoch(), 3);
        Result<ml::EpochTrainingOutcome> finished = rest.run(second);
        QVERIFY(finished);
        QCOMPARE(finished->epochsRun, 4);
        QVERIFY(torch::equal(second.weights(), straight.weights()));
        QCOMPARE(rest.history().epochs().size(), std::size_t(4));
        QCOMPARE(c.epochs.size(), 2);

        // A checkpoint of another task is refused with what to do.
        struct Other : RegressionTask {
            using RegressionTask::RegressionTask;
            QJsonObject checkpointMeta() const override { return {{u"task"_s, u"other"_s}}; }
        } mismatched(0.05);
        ml::EpochTraining refused(options, cc);
        Result<void> resumed = refused.resume(mismatched);
        QVERIFY(!resumed);
        QVERIFY2(resumed.error().message.contains(u"task"_s), qPrintable(resumed.error().message));
    }

    // lr 0 never improves after the first epoch: patience 1 stops after epoch 2, and the best
    // (epoch 1) weights are put back.
    void stopsEarlyAndRestoresTheBest()
    {
        QTemporaryDir dir;
        Recorder recorder;
        JobContext context = recorder.context();
        RegressionTask task(0.0);
        const torch::Tensor start = task.weights();
        ml::EpochTrainingOptions options = optionsFor(dir.path(), 10);
        options.patience = 1;
        ml::EpochTraining training(options, context);
        Result<ml::EpochTrainingOutcome> outcome = training.run(task);
        QVERIFY(outcome);
        QCOMPARE(outcome->stopped, TrainingHistory::stoppedEarly());
        QCOMPARE(outcome->epochsRun, 2);
        QCOMPARE(outcome->bestEpoch, 1);
        QVERIFY(training.restoreBest(task));
        QVERIFY(torch::equal(task.weights(), start));
        QCOMPARE(recorder.log.filter(u"early stopping"_s).size(), 1);
    }

    void cancelKeepsTheLastCheckpoint()
    {
        QTemporaryDir dir;
        Recorder recorder;
        JobContext context = recorder.context();
        RegressionTask task(0.05);
        task.cancelAt = 9;  // in epoch 2
        ml::EpochTraining training(optionsFor(dir.path(), 3), context);
        Result<ml::EpochTrainingOutcome> outcome = training.run(task);
        QVERIFY(outcome);
        QCOMPARE(outcome->stopped, TrainingHistory::stoppedCancelled());
        QCOMPARE(outcome->epochsRun, 1);
        QCOMPARE(recorder.epochs.size(), 1);
        QCOMPARE(recorder.log.filter(u"cancelled during epoch 2"_s).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEpochTraining)
#include "test_epoch_training.moc"
