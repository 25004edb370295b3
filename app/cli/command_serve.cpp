// deepwb serve: the catalog's modules as a DEEPaaS v2 compatible REST API, until Ctrl-C.
#include "command_parser.h"
#include "commands.h"

#include "core/jobs/job_manager.h"
#include "core/ml/device_service.h"
#include "core/serve/rest_server.h"
#include "core/util/count_text.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

// Ctrl-C and SIGTERM end the event loop through a pipe: only async-signal-safe calls here.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

}  // namespace

int runServeCommand(const QStringList &args)
{
    CommandParser cmd(u"serve"_s, u"Serve the catalog's modules as a DEEPaaS v2 compatible REST API until Ctrl-C."_s);
    cmd.addOption(
        {u"module"_s, u"Serve only the module ID (repeatable). [default: every module with a plugin]"_s, u"ID"_s});
    cmd.addOption({u"listen"_s, u"Listen on ADDRESS; other than loopback needs --allow-remote. [default: 127.0.0.1]"_s,
                   u"ADDRESS"_s, u"127.0.0.1"_s});
    cmd.addOption({u"allow-remote"_s, u"Allow a --listen address that other machines can reach."_s});
    cmd.addOption({u"port"_s, u"Listen on PORT (0: any free port). [default: 5000]"_s, u"PORT"_s, u"5000"_s});
    cmd.addOption({u"token"_s,
                   u"Require \"Authorization: Bearer TOKEN\" on every request (or set DEEPWB_SERVE_TOKEN)."_s,
                   u"TOKEN"_s});
    cmd.addOption(
        {u"max-upload-mb"_s, u"Refuse requests larger than MB megabytes (413). [default: 50]"_s, u"MB"_s, u"50"_s});
    cmd.addOption({u"data-root"_s,
                   u"Let training requests read data from paths inside DIR (repeatable). [default: none]"_s, u"DIR"_s});
    cmd.addOption(
        {u"state-dir"_s, u"Keep training records in DIR. [default: next to the catalog, serve/trainings]"_s, u"DIR"_s});
    cmd.addOption(
        {u"device"_s, u"Run on DEVICE: auto, cpu, cuda or cuda:N. [default: auto]"_s, u"DEVICE"_s, u"auto"_s});
    cmd.addOption({u"quiet"_s, u"Do not log each request on stderr."_s});
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;

    ServeOptions options;
    options.modules = cmd.parser().values(u"module"_s);
    options.catalogDirectory = cmd.catalogDirectory();
    options.allowRemote = cmd.isSet(u"allow-remote"_s);
    options.token = cmd.isSet(u"token"_s) ? cmd.value(u"token"_s) : qEnvironmentVariable("DEEPWB_SERVE_TOKEN");
    options.dataRoots = cmd.parser().values(u"data-root"_s);
    options.stateDirectory = cmd.value(u"state-dir"_s);
    const QString listen = cmd.value(u"listen"_s);
    options.address = listen == u"localhost"_s ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(listen);
    if (options.address.isNull()) {
        Output::error(u"--listen: \"%1\" is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"_s.arg(listen));
        return ExitUsage;
    }
    bool ok = false;
    const uint port = cmd.value(u"port"_s).toUInt(&ok);
    if (!ok || port > 65535) {
        Output::error(u"--port: \"%1\" is not a port number (0-65535)"_s.arg(cmd.value(u"port"_s)));
        return ExitUsage;
    }
    options.port = quint16(port);
    const double megabytes = cmd.value(u"max-upload-mb"_s).toDouble(&ok);
    if (!ok || megabytes <= 0 || megabytes > 1024 * 1024) {
        Output::error(
            u"--max-upload-mb: \"%1\" is not a positive number of megabytes"_s.arg(cmd.value(u"max-upload-mb"_s)));
        return ExitUsage;
    }
    options.maxUploadBytes = qint64(megabytes * 1024 * 1024);
    const Result<QString> device = DeviceService::resolve(cmd.value(u"device"_s));
    if (!device) {
        Output::error(device.error().text());
        return ExitUsage;
    }
    options.device = *device;
    DeviceService::configureThreads();

    RestServer server(options);
    if (!cmd.isSet(u"quiet"_s)) {
        QObject::connect(&server, &RestServer::requestLogged,
                         [](const QString &line) { QTextStream(stderr) << line << '\n'; });
    }
    if (Result<void> started = server.start(); !started) {
        Output::error(started.error().text());
        return ExitFailure;
    }
    for (const QString &warning : server.warnings())
        Output::warning(warning);

    const Output out = cmd.output();
    QJsonArray served;
    for (const ServedModule &m : server.modules().modules)
        served.append(QJsonObject{{u"id"_s, m.id}, {u"task"_s, m.manifest.task}, {u"template"_s, m.isTemplate()}});
    out.document(QJsonObject{{u"url"_s, server.url()},
                             {u"port"_s, server.port()},
                             {u"modules"_s, served},
                             {u"docs"_s, server.url() + u"/api"_s},
                             {u"ui"_s, server.url() + u"/ui"_s},
                             {u"swagger"_s, server.url() + u"/swagger.json"_s},
                             {u"openapi"_s, server.url() + u"/openapi.json"_s}});
    out.line(u"Serving %1 at %2 (Swagger UI: %2/ui, documentation: %2/api). Ctrl-C stops."_s
                 .arg(moduleCountText(served.size()))
                 .arg(server.url()));
    for (const ServedModule &m : server.modules().modules)
        out.line(u"  %1/v2/models/%2/  (%3%4)"_s.arg(server.url(), m.id, m.manifest.task,
                                                     m.isTemplate() ? u", template: train only"_s : QString()));
    std::fflush(stdout);  // a caller reading the pipe learns the port now

    if (::pipe(g_signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &server);
        QObject::connect(notifier, &QSocketNotifier::activated, [] {
            char byte = 0;
            [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &byte, 1);
            QCoreApplication::quit();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    const int code = QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    QTextStream(stderr) << "deepwb serve: stopping; running trainings are cancelled\n";
    server.stop();
    server.jobs().waitForAll(30000);
    return code == 0 ? ExitOk : ExitFailure;
}

}  // namespace dw::cli
