// Typed training progress: what a report says, its JSON, how the job manager keeps it (and
// writes it into run records), and how history.json keeps named metrics.
#include "core/jobs/job_manager.h"
#include "core/jobs/run_record.h"
#include "core/jobs/training_progress.h"
#include "core/ml/training_history.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

TrainingProgress step(int epoch, qint64 batch, double loss)
{
    TrainingProgress p;
    p.epoch = epoch;
    p.epochs = 4;
    p.step = batch;
    p.steps = 12;
    p.metrics = {{u"train_loss"_s, loss, false}};
    p.learningRate = 0.01;
    p.throughput = 812.4;
    p.unit = u"images"_s;
    p.etaSeconds = 62;
    return p;
}

TrainingProgress epochReport(int epoch, double valAccuracy, bool best)
{
    TrainingProgress p;
    p.kind = TrainingProgress::Kind::Epoch;
    p.epoch = epoch;
    p.epochs = 4;
    p.metrics = {{u"train_loss"_s, 0.5, false}, {u"val_loss"_s, 0.4, false}, {u"val_accuracy"_s, valAccuracy, true}};
    p.learningRate = 0.001;
    p.seconds = 12.34;
    p.throughput = 900;
    p.unit = u"images"_s;
    p.monitored = u"val_accuracy"_s;
    p.best = best;
    p.bestEpoch = best ? epoch : 1;
    return p;
}

}  // namespace

class TestTrainingProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void describesAStep()
    {
        const TrainingProgress p = step(2, 3, 0.734);
        QCOMPARE(p.describe(), u"epoch 2/4, batch 3/12, loss 0.7340, 812 images/s, eta 1m02s"_s);
        QCOMPARE(p.position(), 1.25);
        QCOMPARE(p.fraction(), 1.25 / 4.0);
    }

    void describesAnEpoch()
    {
        TrainingProgress p = epochReport(3, 0.8721, true);
        p.note = u"lr lowered to 0.0001 for the next"_s;
        QCOMPARE(p.describe(), u"epoch 3/4: train loss 0.5000, val loss 0.4000, val accuracy 87.21 % (best); lr 0.001; "
                               "lr lowered to 0.0001 for the next; 12.3 s (900 images/s)"_s);
        TrainingMetric psnr{u"val_psnr"_s, 31.2, true};
        QCOMPARE(psnr.label(), u"val PSNR"_s);
        QCOMPARE(psnr.valueText(), u"31.20 dB"_s);
        QVERIFY(!psnr.isLoss());
        QVERIFY(TrainingMetric{u"val_loss"_s}.isLoss());
    }

    void jsonRoundTrip()
    {
        for (const TrainingProgress &p : {step(1, 5, 1.5), epochReport(2, 0.5, false)}) {
            const TrainingProgress back = TrainingProgress::fromJson(p.toJson());
            QCOMPARE(back.kind, p.kind);
            QCOMPARE(back.epoch, p.epoch);
            QCOMPARE(back.step, p.step);
            QCOMPARE(back.metrics, p.metrics);
            QCOMPARE(back.describe(), p.describe());
        }
    }

    // The job manager keeps every epoch (a redone epoch replaces what came after it) and the
    // latest step, and writes them into the run record.
    void jobKeepsTypedProgress()
    {
        QTemporaryDir runs;
        JobManager jobs(runs.path());
        JobSpec spec;
        spec.title = u"train"_s;
        spec.function = [](JobContext &context) -> Result<QVariant> {
            context.report(step(1, 1, 2.0));
            context.report(epochReport(1, 0.3, true));
            context.report(epochReport(2, 0.4, true));
            context.report(epochReport(2, 0.45, true));  // resumed: epoch 2 again
            context.report(step(3, 4, 1.0));
            return QVariant(1);
        };
        const QString id = jobs.submit(spec);
        QVERIFY(jobs.waitForAll(30000));
        const JobInfo info = jobs.job(id);
        QCOMPARE(info.trainingEpochs.size(), 2);
        QCOMPARE(info.trainingEpochs.at(1).metric(u"val_accuracy"_s).value_or(0), 0.45);
        QVERIFY(info.trainingStep);
        QCOMPARE(info.trainingStep->step, 4);
        QVERIFY2(info.log.filter(u"val accuracy"_s).size() == 3, qPrintable(info.log.join(u"\n"_s)));  // one per report

        // The final record is written just after the job is reported finished.
        const auto finalRecord = [&] { return readRunRecord(runRecordPath(runs.path(), id)); };
        QTRY_VERIFY_WITH_TIMEOUT(finalRecord() && finalRecord()->state == JobState::Done, 10000);
        Result<JobInfo> record = finalRecord();
        QVERIFY2(record, qPrintable(record ? QString() : record.error().message));
        QCOMPARE(record->trainingEpochs.size(), 2);
        QCOMPARE(record->trainingEpochs.at(0).metrics, info.trainingEpochs.at(0).metrics);
        QVERIFY(record->trainingStep);
    }

    // Front ends that know only the plain channels still see a report: a step as the progress
    // (fraction and message), an epoch as a log line.
    void plainChannelsCarryReports()
    {
        double fraction = -1;
        QString message;
        QStringList log;
        QList<TrainingProgress> typed;
        JobContext::Callbacks callbacks;
        callbacks.progress = [&](double f, const QString &m) { fraction = f, message = m; };
        callbacks.log = [&](const QString &line) { log << line; };
        callbacks.training = [&](const TrainingProgress &p) { typed << p; };
        std::atomic_bool cancel{false};
        const JobContext context(u"job"_s, &cancel, callbacks);
        context.report(step(3, 6, 0.5));
        QCOMPARE(fraction, 2.5 / 4.0);
        QVERIFY2(message.startsWith(u"epoch 3/4, batch 6/12, loss 0.5000"_s), qPrintable(message));
        QVERIFY(log.isEmpty());
        context.report(epochReport(3, 0.9, true));
        QCOMPARE(log.size(), 1);
        QVERIFY(log.first().startsWith(u"epoch 3/4: train loss"_s));
        QCOMPARE(typed.size(), 2);
    }

    void historyKeepsNamedMetrics()
    {
        TrainingProgress p = epochReport(1, 0.75, true);
        p.metrics.append({u"val_psnr"_s, 30.5, true});
        TrainingHistory history;
        history.add(EpochRecord::fromProgress(p, 2));
        history.setBestEpoch(1);
        Result<TrainingHistory> back = TrainingHistory::fromJson(history.toJson());
        QVERIFY(back);
        const EpochRecord &r = back->epochs().front();
        QCOMPARE(r.valAccuracy, 0.75);
        QCOMPARE(r.valLoss, 0.4);
        QCOMPARE(r.skipped, 2);
        QCOMPARE(r.metrics.size(), 4);
        const TrainingProgress again = r.toProgress(1, 1);
        QCOMPARE(again.metric(u"val_psnr"_s).value_or(0), 30.5);
        QVERIFY(again.best);

        // An older history without named metrics still gives its losses and accuracies.
        EpochRecord old;
        old.epoch = 1;
        old.trainLoss = 1.0;
        old.valLoss = 0.9;
        old.valAccuracy = 0.6;
        const TrainingProgress fromOld = old.toProgress(3, 1);
        QCOMPARE(fromOld.metric(u"val_loss"_s).value_or(0), 0.9);
        QCOMPARE(fromOld.metric(u"val_accuracy"_s).value_or(0), 0.6);
        QVERIFY(!fromOld.metric(u"train_accuracy"_s));
    }
};

QTEST_GUILESS_MAIN(TestTrainingProgress)
#include "test_training_progress.moc"
