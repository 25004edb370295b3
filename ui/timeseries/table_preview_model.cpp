#include "ui/timeseries/table_preview_model.h"

#include "ui/timeseries/series_format.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <cmath>

namespace dw {

TablePreviewModel::TablePreviewModel(QObject *parent) : QAbstractTableModel(parent)
{}

void TablePreviewModel::setTable(std::shared_ptr<const Table> table, int rowLimit)
{
    beginResetModel();
    m_table = std::move(table);
    m_rows = m_table ? int(std::min<qsizetype>(m_table->rowCount(), std::max(0, rowLimit))) : 0;
    m_decimals.clear();
    if (m_table)
        for (qsizetype c = 0; c < m_table->columnCount(); ++c)
            m_decimals << SeriesFormat::decimals(m_table->column(c));
    endResetModel();
}

void TablePreviewModel::clear()
{
    setTable(nullptr);
}

int TablePreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int TablePreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->columnCount()) + 1;
}

QVariant TablePreviewModel::data(const QModelIndex &index, int role) const
{
    if (!m_table || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qsizetype row = index.row();
    if (index.column() == 0) {
        switch (role) {
        case Qt::DisplayRole:
            return m_table->timeText(row);
        case ValueRole:
            return m_table->hasTime() ? m_table->time[size_t(row)] : double(row + 1);
        case MissingRole:
            return false;
        default:
            return {};
        }
    }
    const double value = m_table->column(index.column() - 1)[size_t(row)];
    const bool missing = !std::isfinite(value);
    switch (role) {
    case Qt::DisplayRole:
        return missing ? QString() : SeriesFormat::number(value, m_decimals.value(index.column() - 1, 2));
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        return missing ? QVariant(QBrush(QColor(255, 236, 200))) : QVariant();
    case Qt::ToolTipRole:
        return missing ? tr("missing value (filled before training and forecasting)") : QVariant();
    case ValueRole:
        return value;
    case MissingRole:
        return missing;
    default:
        return {};
    }
}

QVariant TablePreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_table)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section == 0)
        return m_table->hasTime() ? m_table->timeName : tr("row");
    if (section - 1 < m_table->columnCount())
        return m_table->names.at(section - 1);
    return {};
}

}  // namespace dw
