#pragma once
// What happened in each epoch of a training run: losses, accuracies, learning rate, time
// and skipped images; the best epoch and why the run stopped. Stored as history.json in
// the module folder and inside checkpoints, so that a resumed run keeps its past.
#include "core/jobs/training_progress.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace dw {

struct EpochRecord {
    int epoch = 0;  // from 1
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;  // fraction in [0, 1]
    double valLoss = 0.0;
    double valAccuracy = 0.0;
    double lr = 0.0;  // the rate of the epoch's last step (of the main parameter group)
    double seconds = 0.0;
    qint64 skipped = 0;  // images that could not be read in this epoch
    // Every named metric of the epoch as its trainer reported it (the fields above are the
    // usual ones among them, kept for readers of older files); empty in older histories.
    QList<TrainingMetric> metrics;

    // The record of an Epoch report (its metrics, lr and time) and back; a record without
    // named metrics gives the usual ones from its fields.
    static EpochRecord fromProgress(const TrainingProgress &epoch, qint64 skipped = 0);
    TrainingProgress toProgress(int epochs, int bestEpoch) const;
    QJsonObject toJson() const;
    static EpochRecord fromJson(const QJsonObject &json);
    friend bool operator==(const EpochRecord &, const EpochRecord &) = default;
};

class TrainingHistory {
public:
    // "completed", "early-stopping", "cancelled"; empty while the run goes on.
    static QString stoppedCompleted() { return QStringLiteral("completed"); }
    static QString stoppedEarly() { return QStringLiteral("early-stopping"); }
    static QString stoppedCancelled() { return QStringLiteral("cancelled"); }

    // Adds a record, replacing one of the same epoch (a resumed run redoing an epoch).
    void add(const EpochRecord &record);
    const std::vector<EpochRecord> &epochs() const { return m_epochs; }
    // Keeps the records up to and including epoch (what a checkpoint of that epoch knew).
    void truncate(int epoch);
    bool isEmpty() const { return m_epochs.empty(); }
    const EpochRecord *last() const { return m_epochs.empty() ? nullptr : &m_epochs.back(); }
    const EpochRecord *record(int epoch) const;

    int bestEpoch() const { return m_bestEpoch; }
    void setBestEpoch(int epoch) { m_bestEpoch = epoch; }
    const QString &stopped() const { return m_stopped; }
    void setStopped(const QString &stopped) { m_stopped = stopped; }

    // {"epochs": [{"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr",
    //  "seconds", "skipped"}], "best_epoch": n, "stopped": "..."}
    QJsonObject toJson() const;
    static Result<TrainingHistory> fromJson(const QJsonObject &json);

    // Written atomically (QSaveFile): a crash never leaves half a file.
    Result<void> save(const QString &path) const;
    static Result<TrainingHistory> load(const QString &path);

    friend bool operator==(const TrainingHistory &, const TrainingHistory &) = default;

private:
    std::vector<EpochRecord> m_epochs;
    int m_bestEpoch = 0;
    QString m_stopped;
};

}  // namespace dw
