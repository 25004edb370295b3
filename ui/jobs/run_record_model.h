#pragma once
// The run records of past jobs as a table: what ran, when, how long, on which device and
// with which result. SortRole gives each column's raw value (times, seconds) so that a
// QSortFilterProxyModel sorts by time, not by text.
#include "core/jobs/job.h"

#include <QAbstractTableModel>
#include <QList>

namespace dw {

class RunRecordModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Kind, Started, Duration, Device, State, Outcome, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, IdRole };

    explicit RunRecordModel(QObject *parent = nullptr);

    void setRecords(QList<JobInfo> records);
    const QList<JobInfo> &records() const { return m_records; }
    const JobInfo *recordAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Seconds from start to finish; -1 when the job never started or has not finished.
    static double durationSeconds(const JobInfo &info);
    static QString durationText(double seconds);  // "12.3 s", "4 min 05 s", "2 h 07 min"
    // The error of a failed job, else a line about its result ("module plankton-v2, best
    // epoch 12", "3 predictions"), else its last message.
    static QString outcomeText(const JobInfo &info);

private:
    QList<JobInfo> m_records;
};

}  // namespace dw
