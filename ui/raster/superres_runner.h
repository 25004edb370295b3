#pragma once
// The jobs of the Raster workspace's results: super-resolution of a raster with the module
// chosen in the SuperResPanel, through the task plugin's interface (as the CLI does), with
// the panel showing progress and Cancel, and a confirmation before an existing output is
// replaced; and Save As, a safe copy of the written result. Outcomes come back as signals
// on the GUI thread.
#include <QObject>
#include <QRect>
#include <QString>

namespace dw {

class SuperResPanel;
class WorkbenchContext;

class SuperResRunner : public QObject {
    Q_OBJECT
public:
    SuperResRunner(WorkbenchContext &context, SuperResPanel *panel, QObject *parent = nullptr);

    // Super-resolves input (a file or subdataset) as the panel says; the job id, or empty
    // after failed() (or while asking whether to replace the output).
    QString run(const QString &input);
    // Copies source to destination by a job; the job id, or empty when there is nothing to do.
    QString saveAs(const QString &source, const QString &destination);
    const QString &runningJob() const { return m_followed; }

Q_SIGNALS:
    void written(const QString &path, const QRect &region);  // region: of the input; empty: all
    void saved(const QString &path);
    void failed(const QString &title, const QString &message);

private:
    void updateProgress(const QString &jobId);

    WorkbenchContext &m_context;
    SuperResPanel *m_panel = nullptr;
    QString m_followed;
    QString m_replaceConfirmed;  // an existing output the user agreed to replace
};

}  // namespace dw
