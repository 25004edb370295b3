#pragma once
// "Serve" for one module: a small window that starts and stops the REST API for it, shows
// its URL (and the documentation page) and the request log. Predictions and trainings of the
// server run as jobs of the workbench's JobManager, so the Jobs dock shows them too.
#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace dw {

class JobManager;
class PluginManager;
class RestServer;

class ServeWindow : public QWidget {
    Q_OBJECT
public:
    // catalogDirectory: the user's catalog; jobs: the workbench's (nullptr: the server's own).
    ServeWindow(QString moduleId, QString catalogDirectory, JobManager *jobs, PluginManager *plugins = nullptr,
                QWidget *parent = nullptr);
    ~ServeWindow() override;

    // The window for a module, made (from the workbench context found above anchor) or raised.
    static ServeWindow *showFor(QWidget *anchor, const QString &moduleId);

    const QString &moduleId() const { return m_moduleId; }
    bool isServing() const;
    QString url() const;  // empty while stopped
    QStringList logLines() const;

    // The buttons' actions (public for tests).
    bool start();
    void stop();
    void setPort(int port);

Q_SIGNALS:
    void servingChanged(bool serving);

private:
    void appendLog(const QString &line);
    void updateState();

    QString m_moduleId;
    QString m_catalogDirectory;
    QPointer<JobManager> m_jobs;
    PluginManager *m_plugins = nullptr;
    std::unique_ptr<RestServer> m_server;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_token = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_url = nullptr;
    QPlainTextEdit *m_log = nullptr;
};

}  // namespace dw
