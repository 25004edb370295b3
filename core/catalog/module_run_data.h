#pragma once
// What a trained module's folder says about how it was trained and how well it does, for
// comparing modules: history.json (losses, accuracies and any named per-epoch "metrics" of
// the epoch records) and the per-class scores of evaluation.json, else of the manifest's
// metrics. Reads files: call it off the GUI thread.
#include "core/ml/training_history.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace dw {

struct ClassScore {
    QString name;
    double f1 = 0.0;
};

struct ModuleRunData {
    QString directory;
    TrainingHistory history;  // empty when the folder has none
    QString historyProblem;   // why the history is empty ("no history.json", a parse error)
    // Named per-epoch metrics of the epoch records, "metrics": [{"name": "psnr", "value": 31.2}]
    // or {"psnr": 31.2}, but for the losses and accuracies: name -> (epoch, value), by epoch.
    QMap<QString, QList<QPair<int, double>>> epochMetrics;
    QList<ClassScore> perClassF1;  // evaluation.json's per_class, else the manifest's; in class order
    QString perClassSource;        // "evaluation.json", "module.json" or empty

    // Whether the epochs carry accuracies: trainers without one write 0 or nothing.
    bool hasTrainAccuracy() const;
    bool hasValAccuracy() const;
};

// Never fails as a whole: a module without history or evaluation is still compared, with
// the reason kept in historyProblem. manifestMetrics: the manifest's "metrics".
ModuleRunData loadModuleRunData(const QString &moduleDirectory, const QJsonObject &manifestMetrics = {});
// Per-class F1 from a report's "per_class": [{"class", "f1"}, ...] or {"<class>": {"f1"}}.
QList<ClassScore> perClassF1(const QJsonValue &perClass);

}  // namespace dw
