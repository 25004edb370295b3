#pragma once
// The REST API: DEEPaaS v2 routes over the catalog's modules, on Qt HttpServer. Requests are
// served on the thread that owns the server (the GUI or the CLI's main thread); predictions
// and trainings run as jobs of a JobManager on its GPU queue, and are answered when done.
#include "core/serve/serve_options.h"
#include "core/serve/served_module.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace dw {

class JobManager;
class PluginManager;
class Catalog;
class TrainingStore;
struct HttpRequest;
class ReplyChannel;

class RestServer : public QObject {
    Q_OBJECT
public:
    // jobs: the workbench's (its Jobs dock shows the server's work); nullptr: one of its own
    // without run records. plugins: nullptr means PluginManager::instance().
    explicit RestServer(ServeOptions options, JobManager *jobs = nullptr, PluginManager *plugins = nullptr,
                        QObject *parent = nullptr);
    ~RestServer() override;

    // Scans the catalog, reloads the training records and listens. Errors: no module to
    // serve among those named, a remote address without allowRemote, the port in use.
    Result<void> start();
    // Stops listening and cancels the predictions and trainings it started.
    void stop();
    bool isListening() const;
    quint16 port() const;
    QString url() const;  // "http://127.0.0.1:5000"
    const ServeOptions &options() const { return m_options; }
    const ServedModuleSet &modules() const { return m_modules; }
    // Things the user should know: a remote address, modules left out and why.
    const QStringList &warnings() const { return m_warnings; }
    JobManager &jobs() const { return *m_jobs; }
    QString stateDirectory() const;

    // One request, from the HTTP layer (public for the frontend and for tests).
    void handle(const HttpRequest &request, const ReplyChannel &reply);
    // Rescans the catalog (after a training made a module) and serves what is there now.
    void refreshModules();

Q_SIGNALS:
    // "2026-11-30T02:40:01Z 127.0.0.1 POST /v2/models/x/predict/ 200 12 ms"
    void requestLogged(const QString &line);
    void listeningChanged(bool listening);

private:
    bool authorised(const HttpRequest &request) const;
    void route(const HttpRequest &request, const ReplyChannel &reply);

    ServeOptions m_options;
    JobManager *m_jobs = nullptr;
    std::unique_ptr<JobManager> m_ownJobs;
    PluginManager *m_plugins = nullptr;
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<TrainingStore> m_store;
    ServedModuleSet m_modules;
    QStringList m_warnings;
    struct Private;
    std::unique_ptr<Private> d;
};

}  // namespace dw
