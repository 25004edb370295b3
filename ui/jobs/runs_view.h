#pragma once
// The Runs view: every run record of a folder (what ran, when, how long, on which device,
// with which result) in a sortable table. The folder is read on a pool thread, so that
// thousands of records never freeze the window; unreadable files are skipped and counted.
// A double-click opens the record (RunRecordDialog).
#include "ui/jobs/run_record_dialog.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace dw {

class RunRecordModel;

class RunsView : public QWidget {
    Q_OBJECT
public:
    explicit RunsView(QWidget *parent = nullptr);

    void setDirectory(const QString &directory);  // and reads it
    const QString &directory() const { return m_directory; }
    void reload();
    bool isLoading() const { return m_loading; }

    // Opens the record shown at this row of the table (sorted order).
    RunRecordDialog *openRecord(int row);
    RunRecordDialog *lastDialog() const { return m_lastDialog; }

    QTableView *table() const { return m_table; }
    RunRecordModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QLabel *status() const { return m_status; }
    int skippedCount() const { return int(m_skipped.size()); }
    const QStringList &skipped() const { return m_skipped; }

Q_SIGNALS:
    void loaded();
    void moduleRequested(const QString &id);

private:
    QString m_directory;
    QLabel *m_status = nullptr;
    QToolButton *m_refresh = nullptr;
    QTableView *m_table = nullptr;
    RunRecordModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QStringList m_skipped;
    QPointer<RunRecordDialog> m_lastDialog;
    int m_generation = 0;
    bool m_loading = false;
};

}  // namespace dw
