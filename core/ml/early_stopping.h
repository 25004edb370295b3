#pragma once
// Stops training when the monitored validation metric (higher is better, e.g. accuracy)
// has not improved for `patience` epochs, and remembers the best epoch so that its
// weights can be restored at the end. Its state goes into checkpoints (toJson/fromJson),
// so that a resumed run stops where an uninterrupted one would.
#include <QJsonObject>

namespace dw {

class EarlyStopping {
public:
    // patience 0: never stops, but still tracks the best epoch. An improvement must exceed
    // the best value by more than minDelta.
    explicit EarlyStopping(int patience = 0, double minDelta = 0.0);

    // Records the metric of an epoch; true when it is the best so far (the first always is;
    // NaN never is).
    bool update(int epoch, double value);
    bool shouldStop() const;

    int patience() const { return m_patience; }
    int bestEpoch() const { return m_bestEpoch; }  // 0 before the first update
    double bestValue() const { return m_bestValue; }
    int epochsWithoutImprovement() const { return m_badEpochs; }
    bool hasBest() const { return m_bestEpoch > 0; }

    QJsonObject toJson() const;
    // Restores the state (patience and minDelta included).
    static EarlyStopping fromJson(const QJsonObject &json);

private:
    int m_patience = 0;
    double m_minDelta = 0.0;
    int m_bestEpoch = 0;
    double m_bestValue = 0.0;
    int m_badEpochs = 0;
};

}  // namespace dw
