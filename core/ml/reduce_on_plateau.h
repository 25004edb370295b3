#pragma once
// Reduce-on-plateau learning rate, as PyTorch's ReduceLROnPlateau in "min" mode with a
// relative threshold: after `patience` epochs in a row without the monitored value (lower is
// better, e.g. validation loss) falling below best × (1 − threshold), the rate is multiplied
// by `factor` (never below minLr) and the count starts again. Its state goes into checkpoints
// (toJson/fromJson), so that a resumed run lowers the rate where an uninterrupted one would.
#include <QJsonObject>
#include <QString>

namespace dw {

struct ReduceOnPlateauOptions {
    double factor = 0.5;      // in (0, 1)
    int patience = 3;         // epochs without improvement before a reduction (≥ 0)
    double threshold = 1e-4;  // relative improvement that counts
    double minLr = 0.0;
};

class ReduceOnPlateau {
public:
    explicit ReduceOnPlateau(double initialLr = 1e-3, const ReduceOnPlateauOptions &options = {});

    // Empty when the options make sense, else what is wrong and what to do.
    static QString problem(const ReduceOnPlateauOptions &options);

    // Records an epoch's value; returns the rate for the next epoch. NaN counts as no
    // improvement.
    double update(double value);
    double learningRate() const { return m_lr; }
    double best() const { return m_best; }
    int badEpochs() const { return m_badEpochs; }
    int reductions() const { return m_reductions; }
    const ReduceOnPlateauOptions &options() const { return m_options; }

    QJsonObject toJson() const;
    static ReduceOnPlateau fromJson(const QJsonObject &json);

private:
    ReduceOnPlateauOptions m_options;
    double m_lr;
    double m_best;
    bool m_hasBest = false;
    int m_badEpochs = 0;
    int m_reductions = 0;
};

}  // namespace dw
