#include "ui/timeseries/alert_table_model.h"

#include <QBrush>
#include <QColor>

namespace dw {

AlertTableModel::AlertTableModel(QObject *parent) : QAbstractTableModel(parent)
{}

void AlertTableModel::setAlerts(QList<AnomalyAlert> alerts)
{
    beginResetModel();
    m_alerts = std::move(alerts);
    endResetModel();
}

void AlertTableModel::append(const QList<AnomalyAlert> &alerts)
{
    if (alerts.isEmpty())
        return;
    beginInsertRows({}, int(m_alerts.size()), int(m_alerts.size() + alerts.size() - 1));
    m_alerts += alerts;
    endInsertRows();
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
            return QString::number(a.observed, 'g', 6);
        case ExpectedColumn:
            return QString::number(a.expected, 'g', 6);
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
    case Qt::ToolTipRole:
        return tr("%1 departs from the forecast %2 by %3 (%4 times the alert threshold)")
            .arg(a.target, QString::number(a.expected, 'g', 6), QString::number(a.residual, 'g', 4),
                 QString::number(a.score, 'f', 2));
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
