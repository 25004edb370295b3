// deepwb watch MODULE (--follow FILE [--from-start] | --listen udp://HOST:PORT | tcp://HOST:PORT):
// a trained time-series module checks each new point of a live stream against its forecast
// and prints the alerts as JSON lines, until Ctrl-C, --max-points or --idle-timeout.
#include "command_parser.h"
#include "commands.h"
#include "module_locator.h"
#include "watch_session.h"

#include "core/io/line_source_url.h"
#include "core/ml/device_service.h"
#include "core/task/plugin_manager.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <cmath>
#include <csignal>
#include <unistd.h>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

// Ctrl-C and SIGTERM end the session through a pipe: only async-signal-safe calls here.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

// The tasks whose plugins can watch a stream.
QStringList streamingTasks()
{
    QStringList tasks;
    PluginManager &manager = PluginManager::instance();
    for (const QString &task : manager.tasks())
        if (qobject_cast<StreamingTask *>(dynamic_cast<QObject *>(manager.plugin(task))))
            tasks << task;
    return tasks;
}

int usageError(const QString &message)
{
    Output::error(message + u" (see 'deepwb watch --help')"_s);
    return ExitUsage;
}

std::optional<double> nonNegative(const CommandParser &cmd, const QString &option)
{
    if (!cmd.isSet(option))
        return 0.0;
    bool ok = false;
    const double value = cmd.value(option).toDouble(&ok);
    if (!ok || value < 0 || !std::isfinite(value))
        return std::nullopt;
    return value;
}

}  // namespace

int runWatchCommand(const QStringList &args)
{
    CommandParser cmd(u"watch"_s,
                      u"Watch a live stream with a trained time-series MODULE: each new point (a CSV line with the "
                      "columns of the training file) is checked against the forecast made before it, and every "
                      "alert is printed on stdout as one JSON line. Runs until Ctrl-C, --max-points or "
                      "--idle-timeout; the summary goes to stderr."_s);
    cmd.addPositional(u"MODULE"_s, u"A trained time-series module: a catalog id or a module folder."_s);
    cmd.addOption({u"follow"_s,
                   u"Read the rows appended to FILE (like tail -F; truncation and rotation are followed)."_s,
                   u"FILE"_s});
    cmd.addOption({u"from-start"_s, u"With --follow: read the rows already in FILE first."_s});
    cmd.addOption({u"listen"_s,
                   u"Receive lines on udp://HOST:PORT (one or more lines per datagram) or tcp://HOST:PORT "
                   "(any number of clients)."_s,
                   u"URL"_s});
    cmd.addOption({u"device"_s, u"Run on DEVICE: cpu, cuda, cuda:N or auto. [default: cpu]"_s, u"DEVICE"_s, u"cpu"_s});
    cmd.addOption(
        {u"threads"_s, u"LibTorch threads; one is fastest for one window at a time. [default: 1]"_s, u"N"_s, u"1"_s});
    cmd.addOption(
        {u"all"_s,
         u"Print every point's update (observed, expected, band, next forecast, alerts), not only alerts."_s});
    cmd.addOption({u"max-points"_s, u"Stop after N points."_s, u"N"_s});
    cmd.addOption({u"idle-timeout"_s, u"Stop after S seconds without a line."_s, u"S"_s});
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;

    // The command line first: usage errors before anything is loaded.
    if (cmd.isSet(u"follow"_s) == cmd.isSet(u"listen"_s))
        return usageError(u"give either --follow FILE or --listen udp://HOST:PORT | tcp://HOST:PORT"_s);
    if (cmd.isSet(u"from-start"_s) && !cmd.isSet(u"follow"_s))
        return usageError(u"--from-start goes with --follow FILE"_s);
    LineSourceUrl url = LineSourceUrl::file(cmd.value(u"follow"_s), cmd.isSet(u"from-start"_s));
    if (cmd.isSet(u"listen"_s)) {
        Result<LineSourceUrl> parsed = LineSourceUrl::parse(cmd.value(u"listen"_s));
        if (!parsed)
            return usageError(u"--listen: "_s + parsed.error().message);
        url = parsed.value();
    }
    WatchOptions options;
    options.all = cmd.isSet(u"all"_s);
    bool ok = true;
    options.maxPoints = cmd.isSet(u"max-points"_s) ? cmd.value(u"max-points"_s).toLongLong(&ok) : 0;
    if (!ok || options.maxPoints < 0)
        return usageError(u"--max-points: \"%1\" is not a number of points"_s.arg(cmd.value(u"max-points"_s)));
    const std::optional<double> idle = nonNegative(cmd, u"idle-timeout"_s);
    if (!idle)
        return usageError(u"--idle-timeout: \"%1\" is not a number of seconds"_s.arg(cmd.value(u"idle-timeout"_s)));
    options.idleTimeout = *idle;
    const int threads = cmd.value(u"threads"_s).toInt(&ok);
    if (!ok || threads < 1)
        return usageError(u"--threads: \"%1\" is not a number of threads"_s.arg(cmd.value(u"threads"_s)));

    Result<LocatedModule> module = ModuleLocator(cmd.catalogDirectory()).locateTrained(cmd.positional().first());
    if (!module) {
        Output::error(module.error().text());
        return ExitFailure;
    }
    options.moduleId = module->id;
    TaskPlugin *plugin = PluginManager::instance().plugin(module->manifest.task);
    auto *streaming = qobject_cast<StreamingTask *>(dynamic_cast<QObject *>(plugin));
    if (!streaming) {
        const QStringList tasks = streamingTasks();
        Output::error(u"the module '%1' is for the task '%2', which cannot watch streams: give a module of %3"_s.arg(
            module->id, module->manifest.task.isEmpty() ? u"(none)"_s : module->manifest.task,
            tasks.isEmpty() ? u"a task that can (none is installed; see 'deepwb plugins')"_s : tasks.join(u" or "_s)));
        return ExitFailure;
    }
    const Result<QString> device = DeviceService::resolve(cmd.value(u"device"_s));
    if (!device) {
        Output::error(device.error().text());
        return ExitFailure;
    }
    Result<std::unique_ptr<StreamMonitor>> monitor =
        streaming->openStream(module->directory, {{u"device"_s, *device}, {u"threads"_s, threads}});
    if (!monitor) {
        Output::error(monitor.error().text());
        return ExitFailure;
    }

    std::unique_ptr<LineSource> source = url.create();
    QObject::connect(source.get(), &LineSource::message,
                     [](const QString &text) { QTextStream(stderr) << "deepwb watch: " << text << '\n'; });
    QObject::connect(source.get(), &LineSource::errorOccurred, [](const QString &text) { Output::warning(text); });
    if (Result<void> started = source->start(); !started) {
        Output::error(started.error().text());
        return ExitFailure;
    }
    WatchSession session(**monitor, *source, options);

    if (::pipe(g_signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, source.get());
        QObject::connect(notifier, &QSocketNotifier::activated, [&session] {
            char byte = 0;
            [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &byte, 1);
            session.stop(u"interrupted (SIGINT or SIGTERM)"_s);
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QTextStream(stderr) << "deepwb watch: "
                        << (url.kind == LineSourceUrl::Kind::File ? u"following "_s : u"listening on "_s)
                        << source->description() << " with " << module->id << " ("
                        << (*monitor)->targets().join(u", "_s) << "; alerts from point "
                        << (*monitor)->warmUpPoints() + 1 << "; lines: " << (*monitor)->expectedColumns().join(u","_s)
                        << ")\n"
                        << Qt::flush;
    session.run();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    QTextStream(stderr) << "deepwb watch: " << session.summary() << '\n' << Qt::flush;
    return ExitOk;
}

}  // namespace dw::cli
