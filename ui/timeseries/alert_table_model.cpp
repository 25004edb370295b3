#include "ui/timeseries/alert_table_model.h"

#include "ui/timeseries/series_format.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace dw {

AlertTableModel::AlertTableModel(QObject *parent) : QAbstractTableModel(parent)
{}

void AlertTableModel::setAlerts(QList<AnomalyAlert> alerts)
{
    beginResetModel();
    m_alerts = std::move(alerts);
    m_fromAlerts.clear();
    endResetModel();
}

void AlertTableModel::append(const QList<AnomalyAlert> &alerts)
{
    if (alerts.isEmpty())
        return;
    const int before = int(m_alerts.size());
    beginInsertRows({}, before, int(m_alerts.size() + alerts.size() - 1));
    m_alerts += alerts;
    m_fromAlerts.clear();
    endInsertRows();
    // Decimals taken from the alerts may change with the new ones: the rows before follow.
    const bool fromAlerts = std::any_of(alerts.begin(), alerts.end(),
                                        [this](const AnomalyAlert &a) { return !m_decimals.contains(a.target); });
    if (before > 0 && fromAlerts)
        Q_EMIT dataChanged(index(0, ObservedColumn), index(before - 1, ExpectedColumn));
}

void AlertTableModel::setDecimals(const QHash<QString, int> &decimals)
{
    if (decimals == m_decimals)
        return;
    m_decimals = decimals;
    if (!m_alerts.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int AlertTableModel::decimals(const QString &target) const
{
    if (const auto it = m_decimals.constFind(target); it != m_decimals.constEnd())
        return it.value();
    if (const auto it = m_fromAlerts.constFind(target); it != m_fromAlerts.constEnd())
        return it.value();
    QVector<double> values;
    for (const AnomalyAlert &alert : m_alerts)
        if (alert.target == target)
            values << alert.observed << alert.expected;
    const int d = SeriesFormat::decimals(values);
    m_fromAlerts.insert(target, d);
    return d;
}

int AlertTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AnomalyAlert &a = m_alerts.at(index.row());
    const bool critical = a.severity == AlertSeverity::Critical;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return a.timeText.isEmpty() ? QString::number(a.time, 'g', 12) : a.timeText;
        case TargetColumn:
            return a.target;
        case ObservedColumn:
            return SeriesFormat::number(a.observed, decimals(a.target));
        case ExpectedColumn:
            return SeriesFormat::number(a.expected, decimals(a.target));
        case ScoreColumn:
            return QString::number(a.score, 'f', 2);
        case SeverityColumn:
            return critical ? tr("critical") : tr("warning");
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() >= ObservedColumn && index.column() <= ScoreColumn
                   ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    case Qt::ForegroundRole:
        return index.column() == SeverityColumn ? QVariant(QBrush(critical ? QColor(150, 0, 0) : QColor(200, 60, 40)))
                                                : QVariant();
    case Qt::BackgroundRole:
        return critical ? QVariant(QBrush(QColor(255, 225, 225))) : QVariant();
    case Qt::ToolTipRole: {
        const int d = decimals(a.target);
        return tr("%1 departs from the forecast %2 by %3 (%4 times the alert threshold)")
            .arg(a.target, SeriesFormat::number(a.expected, d), SeriesFormat::number(a.residual, d),
                 QString::number(a.score, 'f', 2));
    }
    case PlotXRole:
        return a.time;
    default:
        return {};
    }
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case TargetColumn:
        return tr("Target");
    case ObservedColumn:
        return tr("Observed");
    case ExpectedColumn:
        return tr("Expected");
    case ScoreColumn:
        return tr("Score");
    case SeverityColumn:
        return tr("Severity");
    default:
        return {};
    }
}

}  // namespace dw
