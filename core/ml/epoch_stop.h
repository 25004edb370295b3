#pragma once
// Whether a task's training run stops after an epoch, decided and told the same way by every
// trainer: as asked (a stop epoch before the last one; "cancelled", to be resumed) or early
// (EarlyStopping saw no better validation figure for its patience; "early-stopping").
#include "core/ml/early_stopping.h"
#include "core/ml/training_history.h"

#include <QString>

namespace dw::ml {

struct EpochStop {
    QString stopped;  // TrainingHistory's stopped value; empty: training goes on
    QString message;  // the line for the job's log
    explicit operator bool() const { return !stopped.isEmpty(); }
};

// After `epoch` of `epochs`; stopAfterEpoch 0: no stop asked. metric names what early
// stopping watches, for the message ("validation loss").
inline EpochStop stopAfterEpoch(int epoch, int epochs, int stopAfterEpoch, const EarlyStopping &stopping,
                                const QString &metric)
{
    if (stopAfterEpoch > 0 && epoch >= stopAfterEpoch && epoch < epochs)
        return {TrainingHistory::stoppedCancelled(),
                QStringLiteral("stopped after epoch %1 as asked; resume to continue").arg(epoch)};
    if (stopping.shouldStop())
        return {TrainingHistory::stoppedEarly(),
                QStringLiteral("early stopping: no better %1 for %2 epochs; the best was epoch %3")
                    .arg(metric)
                    .arg(stopping.patience())
                    .arg(stopping.bestEpoch())};
    return {};
}

}  // namespace dw::ml
