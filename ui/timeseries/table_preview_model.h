#pragma once
// The first rows of an imported table for a QTableView: the time column (as the file wrote
// it, or the row number) and the numeric columns, each with its own decimals (SeriesFormat),
// missing values shown as an empty, tinted cell. Read-only; the table is shared, never copied.
#include "core/io/table.h"

#include <QAbstractTableModel>
#include <QList>

#include <memory>

namespace dw {

class TablePreviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        MissingRole = Qt::UserRole + 1,  // bool: the cell is NaN
        ValueRole,                       // double: the number (NaN when missing); the time in seconds for column 0
    };
    Q_ENUM(Role)

    explicit TablePreviewModel(QObject *parent = nullptr);

    // rowLimit: how many rows the preview shows at most.
    void setTable(std::shared_ptr<const Table> table, int rowLimit = 500);
    void clear();
    const Table *table() const { return m_table.get(); }
    qsizetype totalRows() const { return m_table ? m_table->rowCount() : 0; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Table> m_table;
    int m_rows = 0;
    QList<int> m_decimals;  // one per column of the table
};

}  // namespace dw
