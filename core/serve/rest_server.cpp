#include "core/serve/rest_server.h"

#include "core/catalog/catalog.h"
#include "core/jobs/job_manager.h"
#include "core/serve/guarded_tcp_server.h"
#include "core/serve/http_frontend.h"
#include "core/serve/openapi_document.h"
#include "core/serve/predict_dispatcher.h"
#include "core/serve/swagger_document.h"
#include "core/serve/swagger_ui.h"
#include "core/serve/training_service.h"
#include "core/serve/training_store.h"
#include "core/task/plugin_manager.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QPointer>

namespace dw {

using namespace Qt::StringLiterals;

struct RestServer::Private {
    QPointer<HttpFrontend> frontend;
    QPointer<GuardedTcpServer> tcp;
    std::unique_ptr<PredictDispatcher> predictions;
    std::unique_ptr<TrainingService> trainings;
    QByteArray catalogState;  // what the served modules were read from (catalogFingerprint)
};

namespace {

// The user catalog's folders with the time and size of each module.json: a module deleted,
// imported again under the same id or trained again changes it. One stat per module.
QByteArray catalogFingerprint(const QString &directory)
{
    QByteArray state;
    for (const QFileInfo &folder : QDir(directory).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QFileInfo manifest(folder.absoluteFilePath() + u"/module.json"_s);
        state += folder.fileName().toUtf8() + ':' + QByteArray::number(manifest.lastModified().toMSecsSinceEpoch()) +
                 ':' + QByteArray::number(manifest.size()) + ';';
    }
    return state;
}

// Compares in time independent of where the strings differ: the token is a secret.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % std::max<qsizetype>(1, b.size())]);
    return diff == 0;
}

// Links are relative, as DEEPaaS gives them: the Host header of a request never reaches them.
QJsonObject versionJson()
{
    return {{u"version"_s, u"stable"_s},
            {u"id"_s, u"v2"_s},
            {u"links"_s, QJsonArray{QJsonObject{
                             {u"rel"_s, u"self"_s}, {u"type"_s, u"application/json"_s}, {u"href"_s, u"/v2/"_s}}}}};
}

QJsonObject versionsJson()
{
    return {
        {u"versions"_s, QJsonArray{versionJson()}},
        {u"links"_s, QJsonArray{QJsonObject{{u"rel"_s, u"help"_s}, {u"type"_s, u"text/html"_s}, {u"href"_s, u"/ui"_s}},
                                QJsonObject{{u"rel"_s, u"describedby"_s},
                                            {u"type"_s, u"application/json"_s},
                                            {u"href"_s, u"/swagger.json"_s}}}}};
}

}  // namespace

RestServer::RestServer(ServeOptions options, JobManager *jobs, PluginManager *plugins, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_jobs(jobs), m_plugins(plugins), d(std::make_unique<Private>())
{
    if (!m_jobs) {
        m_ownJobs = std::make_unique<JobManager>(QString());
        m_jobs = m_ownJobs.get();
    }
    if (!m_plugins)
        m_plugins = &PluginManager::instance();
}

RestServer::~RestServer()
{
    stop();
    d->predictions.reset();
    d->trainings.reset();
    if (m_ownJobs)
        m_ownJobs->waitForAll(30000);
}

QString RestServer::stateDirectory() const
{
    if (!m_options.stateDirectory.isEmpty())
        return m_options.stateDirectory;
    const QString catalog = m_catalog ? m_catalog->userDirectory() : Catalog::defaultUserDirectory();
    return QDir(catalog).absoluteFilePath(u"../serve/trainings"_s);
}

Result<void> RestServer::start()
{
    if (isListening())
        return success();
    m_warnings.clear();
    const bool loopback = m_options.address.isLoopback();
    if (!loopback && !m_options.allowRemote)
        return failure(
            u"%1 is not a loopback address: serving to other machines needs --allow-remote (and a --token)"_s.arg(
                m_options.address.toString()),
            u"listen"_s);
    if (!loopback)
        m_warnings.append(u"the API listens on %1: anyone who can reach this machine can use it%2"_s.arg(
            m_options.address.toString(), m_options.token.isEmpty() ? u", without a token"_s : u" with the token"_s));

    m_catalog = std::make_unique<Catalog>(m_options.catalogDirectory);
    d->catalogState = catalogFingerprint(m_catalog->userDirectory());
    m_catalog->scan();
    Result<ServedModuleSet> set = ServedModuleSet::collect(*m_catalog, *m_plugins, m_options.modules);
    if (!set)
        return set.error();
    m_modules = *set;
    for (const QString &skipped : m_modules.skipped)
        m_warnings.append(u"not served: %1"_s.arg(skipped));
    if (m_modules.modules.isEmpty())
        return failure(
            u"no module can be served: the catalog %1 has none whose task has a loaded plugin (see 'deepwb plugins' "
            "and 'deepwb catalog list')"_s.arg(m_catalog->userDirectory()));

    m_store = std::make_unique<TrainingStore>(stateDirectory());
    m_store->load();
    for (const QString &problem : m_store->problems())
        m_warnings.append(problem);

    d->predictions = std::make_unique<PredictDispatcher>(*m_jobs, m_options.device);
    d->trainings =
        std::make_unique<TrainingService>(*m_jobs, *m_store, *m_catalog, m_options.dataRoots, m_options.device);
    connect(d->trainings.get(), &TrainingService::moduleCreated, this, &RestServer::refreshModules);

    GuardPolicy policy;
    policy.maxBodyBytes = m_options.maxUploadBytes;
    policy.headerTimeoutMs = m_options.headerTimeoutMs;
    policy.idleTimeoutMs = m_options.idleTimeoutMs;
    policy.bodyStallMs = m_options.bodyStallMs;
    policy.minBodyBytesPerSecond = m_options.minBodyBytesPerSecond;
    policy.budget = std::make_shared<UploadBudget>(
        m_options.maxInFlightUploadBytes > 0 ? m_options.maxInFlightUploadBytes : 4 * m_options.maxUploadBytes);
    if (!m_options.token.isEmpty())
        policy.authorised = [token = m_options.token.toUtf8()](const QByteArray &authorization) {
            return authorization.toLower().startsWith("bearer ") && sameSecret(authorization.mid(7).trimmed(), token);
        };
    auto *tcp = new GuardedTcpServer(policy, m_options.maxConnectionsPerClient, this);
    if (!tcp->listen(m_options.address, m_options.port)) {
        const QString why = tcp->errorString();
        delete tcp;
        return failure(
            u"cannot listen on %1:%2: %3 (is another server on that port? choose another port, or 0 for any free one)"_s
                .arg(m_options.address.toString())
                .arg(m_options.port)
                .arg(why),
            u"port"_s);
    }
    connect(tcp, &GuardedTcpServer::requestRefused, this,
            [this](int status, const QString &method, const QString &path, const QString &peer) {
                Q_EMIT requestLogged(u"%1 %2 %3 %4 %5 refused before its body"_s
                                         .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), peer, method, path)
                                         .arg(status));
            });
    auto *frontend = new HttpFrontend(
        [this](const HttpRequest &request, const ReplyChannel &reply) { handle(request, reply); }, this);
    frontend->bind(tcp);  // the HTTP server takes the TCP server as its child
    d->tcp = tcp;
    d->frontend = frontend;

    // Load what predictions need ahead of the first request (on the GPU queue, like them).
    for (const ServedModule &m : m_modules.modules) {
        if (m.isTemplate())  // nothing to load; a demo module is warmed like the user's
            continue;
        TaskPlugin *plugin = m.plugin;
        const QString dir = m.directory;
        m_jobs->submit({u"Warm %1 (REST)"_s.arg(m.id), u"warm"_s, JobQueue::Predict, m_options.device,
                        [plugin, dir](JobContext &context) -> Result<QVariant> {
                            Result<void> warmed = plugin->warm(dir, context);
                            if (!warmed)
                                return warmed.error();
                            return QVariant();
                        }});
    }
    Q_EMIT listeningChanged(true);
    return success();
}

void RestServer::stop()
{
    if (!isListening())
        return;
    delete d->frontend;  // with its TCP server and connections
    d->frontend = nullptr;
    d->tcp = nullptr;
    if (d->predictions)
        d->predictions->cancelAll();
    if (d->trainings)
        d->trainings->cancelAll();
    Q_EMIT listeningChanged(false);
}

bool RestServer::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

quint16 RestServer::port() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

QString RestServer::url() const
{
    QHostAddress address = m_options.address;
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://%1:%2"_s.arg(host).arg(port());
}

bool RestServer::authorised(const HttpRequest &request) const
{
    if (m_options.token.isEmpty())
        return true;
    const QByteArray header = request.header("authorization").trimmed();
    if (!header.toLower().startsWith("bearer "))
        return false;
    return sameSecret(header.mid(7).trimmed(), m_options.token.toUtf8());
}

void RestServer::refreshModules()
{
    if (!m_catalog)
        return;
    d->catalogState = catalogFingerprint(m_catalog->userDirectory());
    m_catalog->scan();
    Result<ServedModuleSet> set = ServedModuleSet::collect(*m_catalog, *m_plugins, m_options.modules);
    if (set)
        m_modules = *set;
}

void RestServer::handle(const HttpRequest &request, const ReplyChannel &reply)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    reply.setOnSent([this, timer, method = request.method, path = request.path, peer = request.peer](int status) {
        Q_EMIT requestLogged(
            u"%1 %2 %3 %4 %5 %6 ms"_s.arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), peer, method, path)
                .arg(status)
                .arg(timer->elapsed()));
    });
    if (!authorised(request)) {
        HttpReply denied = HttpReply::error(
            401, m_options.token.isEmpty() ? QString()
                 : request.header("authorization").isEmpty()
                     ? u"this server needs a token: send the header \"Authorization: Bearer <token>\""_s
                     : u"the token is wrong"_s);
        denied.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        reply.send(denied);
        return;
    }
    // The catalog may have changed under the server (a module deleted and imported again
    // under its id, trained again): serve what is there now, never the old labels or metrics.
    if (m_catalog && catalogFingerprint(m_catalog->userDirectory()) != d->catalogState)
        refreshModules();
    route(request, reply);
}

void RestServer::route(const HttpRequest &request, const ReplyChannel &reply)
{
    const QString &method = request.method;
    QString path = request.path;
    const bool get = method == u"GET"_s;
    auto wrongMethod = [&] { reply.send(HttpReply::error(405, u"%1 is not allowed on %2"_s.arg(method, path))); };
    if (path == u"/"_s) {
        if (!get)
            return wrongMethod();
        reply.send(HttpReply::json(versionsJson()));
        return;
    }
    while (path.endsWith(u'/'))
        path.chop(1);
    const bool token = !m_options.token.isEmpty();
    if (path == u"/swagger.json"_s || path == u"/openapi.json"_s || path == u"/api"_s || path == u"/ui"_s) {
        if (!get)
            return wrongMethod();
        if (path == u"/swagger.json"_s)
            reply.send(HttpReply::json(SwaggerDocument::build(m_modules.modules, token)));
        else if (path == u"/openapi.json"_s)
            reply.send(HttpReply::json(OpenApiDocument::build(m_modules.modules, u"/"_s, token)));
        else if (path == u"/ui"_s && !SwaggerUi::directory().isEmpty())
            reply.send(HttpReply::bytes(SwaggerUi::page(), "text/html; charset=utf-8"));
        else
            reply.send(HttpReply::bytes(OpenApiDocument::htmlPage(m_modules.modules, url(), token),
                                        "text/html; charset=utf-8"));
        return;
    }
    if (path.startsWith(u"/ui/static/"_s)) {
        if (!get)
            return wrongMethod();
        const Result<SwaggerUi::Asset> asset = SwaggerUi::asset(path.mid(int(qstrlen("/ui/static/"))));
        reply.send(asset ? HttpReply::bytes(asset->bytes, asset->contentType)
                         : HttpReply::error(404, asset.error().message));
        return;
    }
    if (path == u"/v2"_s) {
        if (!get)
            return wrongMethod();
        reply.send(HttpReply::json(versionJson()));
        return;
    }
    if (path == u"/v2/models"_s) {
        if (!get)
            return wrongMethod();
        QJsonArray models;
        for (const ServedModule &m : m_modules.modules)
            models.append(m.toJson(u"/v2/models/"_s + m.id));
        reply.send(HttpReply::json(QJsonObject{{u"models"_s, models}}));
        return;
    }
    if (!path.startsWith(u"/v2/models/"_s)) {
        reply.send(HttpReply::error(404, u"no such route: %1 (see /api for the routes)"_s.arg(request.path)));
        return;
    }
    const QStringList parts = path.mid(int(qstrlen("/v2/models/"))).split(u'/');
    const ServedModule *module = m_modules.find(parts.value(0));
    if (!module) {
        reply.send(HttpReply::error(
            404, u"there is no model \"%1\" here (GET /v2/models/ lists them)"_s.arg(parts.value(0)), u"name"_s));
        return;
    }
    const QString action = parts.value(1);
    if (parts.size() == 1) {
        if (!get)
            return wrongMethod();
        reply.send(HttpReply::json(module->toJson(path)));
    } else if (action == u"predict"_s && parts.size() == 2) {
        if (method != u"POST"_s)
            return wrongMethod();
        d->predictions->predict(*module, request, reply);
    } else if (action == u"train"_s && parts.size() == 2) {
        if (method == u"POST"_s)
            d->trainings->start(*module, request, reply);
        else if (get)
            d->trainings->list(*module, reply);
        else
            wrongMethod();
    } else if (action == u"train"_s && parts.size() == 3) {
        if (get)
            d->trainings->show(*module, parts[2], reply);
        else if (method == u"DELETE"_s)
            d->trainings->cancel(*module, parts[2], reply);
        else
            wrongMethod();
    } else {
        reply.send(HttpReply::error(404, u"no such route: %1 (see /api for the routes)"_s.arg(request.path)));
    }
}

}  // namespace dw
