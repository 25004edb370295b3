#pragma once
// The alerts of a forecast or a live stream as a table: time, target, observed, expected,
// score, severity (critical ones tinted). Rows can be appended (live mode) or replaced. The
// observed and expected values (and the departure in the tooltip) are written with one
// number of decimals per target (SeriesFormat), the series' own when the page gives them.
#include "core/ml/anomaly_detector.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace dw {

class AlertTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, TargetColumn, ObservedColumn, ExpectedColumn, ScoreColumn, SeverityColumn, ColumnCount };
    enum Role {
        PlotXRole = Qt::UserRole + 1,  // double: where the alert is on the plot's time axis
    };
    Q_ENUM(Role)

    explicit AlertTableModel(QObject *parent = nullptr);

    void setAlerts(QList<AnomalyAlert> alerts);
    void append(const QList<AnomalyAlert> &alerts);
    const QList<AnomalyAlert> &alerts() const { return m_alerts; }
    // The decimals of each target's values (SeriesFormat::decimals of its series); a target
    // not named here takes those of its alerts' values.
    void setDecimals(const QHash<QString, int> &decimals);
    int decimals(const QString &target) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AnomalyAlert> m_alerts;
    QHash<QString, int> m_decimals;
    mutable QHash<QString, int> m_fromAlerts;  // worked out when first needed
};

}  // namespace dw
