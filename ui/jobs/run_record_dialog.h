#pragma once
// One run record, read-only: what ran, when, where and how it ended, its log and its result
// as JSON. When the result names a module folder, a button opens that module's page.
#include "core/jobs/job.h"

#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace dw {

class RunRecordDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunRecordDialog(const JobInfo &record, QWidget *parent = nullptr);

    const JobInfo &record() const { return m_record; }
    QPlainTextEdit *logView() const { return m_log; }
    QPlainTextEdit *resultView() const { return m_result; }
    QPushButton *openModuleButton() const { return m_openModule; }  // nullptr without a module

    // The id of the module a result names ({"module": folder, "id": ...}); empty if none.
    static QString moduleOf(const JobInfo &record);

Q_SIGNALS:
    void moduleRequested(const QString &id);

private:
    JobInfo m_record;
    QPlainTextEdit *m_log = nullptr;
    QPlainTextEdit *m_result = nullptr;
    QPushButton *m_openModule = nullptr;
};

}  // namespace dw
