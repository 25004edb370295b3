#pragma once
// What a training run tells its front ends, as typed values: after each batch a Step
// (where it is, the running training loss, throughput, ETA) and after each epoch an Epoch
// (its named metrics with their direction, learning rate, time, whether it is the best so
// far). Every trainer emits them through JobContext::report(); the GUI's curves, the CLI's
// progress bar, REST training status and history.json read them — nobody parses log text.
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace dw {

struct TrainingMetric {
    QString name;  // "train_loss", "val_loss", "val_accuracy", "val_psnr", ...
    double value = 0.0;
    bool higherIsBetter = false;

    QString label() const;  // "val accuracy"
    // Accuracies are fractions and shown as per cent; the rest as they are.
    bool isFraction() const;
    QString valueText() const;  // "87.21 %", "0.4123", "31.20 dB"
    bool isLoss() const { return name.endsWith(QLatin1String("loss")); }
    QJsonObject toJson() const;  // {"name", "value", "higher_is_better"}
    static TrainingMetric fromJson(const QJsonObject &json);
    friend bool operator==(const TrainingMetric &, const TrainingMetric &) = default;
};

struct TrainingProgress {
    enum class Kind { Step, Epoch };
    Kind kind = Kind::Step;
    int epoch = 0;                  // from 1
    int epochs = 0;                 // planned
    qint64 step = 0;                // Step: the batch of the epoch, from 1
    qint64 steps = 0;               // batches per epoch
    QList<TrainingMetric> metrics;  // Step: the epoch's running training loss; Epoch: all of them
    double learningRate = 0.0;
    double throughput = 0.0;   // samples per second of training
    QString unit;              // what a sample is: "images", "windows", "patches"
    double etaSeconds = -1.0;  // -1: not known yet
    double seconds = 0.0;      // Epoch: how long the epoch took (training and validation)
    bool best = false;         // Epoch: the best so far by the monitored metric
    int bestEpoch = 0;
    QString monitored;  // the metric early stopping and the best model watch
    QString note;       // Epoch: what else the trainer wants said ("lr lowered to 1e-4")

    bool isStep() const { return kind == Kind::Step; }
    bool isEpoch() const { return kind == Kind::Epoch; }
    double fraction() const;  // of the whole run, in [0, 1]
    double position() const;  // in epochs: epoch 3, batch 5 of 10 is 2.5
    std::optional<double> metric(const QString &name) const;
    const TrainingMetric *find(const QString &name) const;
    void setMetric(const QString &name, double value, bool higherIsBetter);

    // One line for people: "epoch 3/10, batch 120/469, loss 0.4123, 1234 images/s, eta 2 min"
    // or "epoch 3/10: train loss 0.4123, val loss 0.3987, val accuracy 87.21 % (best); lr 0.001; 12.3 s (1234 images/s)".
    QString describe() const;

    QJsonObject toJson() const;
    static TrainingProgress fromJson(const QJsonObject &json);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::TrainingProgress)
