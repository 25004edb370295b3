// deepwb version | plugins | devices: what this installation is and what it can use.
#include "command_parser.h"
#include "commands.h"

#include "core/ml/cpu_features.h"
#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "core/task/plugin_manager.h"

#include <QJsonArray>
#include <QLocale>

namespace dw::cli {

int runVersionCommand(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("--version"), QStringLiteral("Print the versions of deepwb and its libraries."),
                      false);
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;
    const LibraryVersions v = libraryVersions();
    const Output out = cmd.output();
    out.document(v.toJson());
    out.line(QStringLiteral("deepwb %1").arg(v.workbench));
    out.line(
        QStringLiteral("Qt %1, LibTorch %2%3, OpenCV %4, GDAL %5, libarchive %6")
            .arg(v.qt, v.libtorch, v.cuda ? QStringLiteral(" (CUDA)") : QString(), v.opencv, v.gdal, v.libarchive));
    return ExitOk;
}

int runPluginsCommand(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("plugins"),
                      QStringLiteral("List the task plugins found, and why any failed to load."), false);
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;
    PluginManager &plugins = PluginManager::instance();
    const Output out = cmd.output();

    QJsonArray list;
    QList<QStringList> rows;
    for (const PluginRecord &record : plugins.records()) {
        QJsonObject item{{QStringLiteral("file"), record.file}, {QStringLiteral("loaded"), record.loaded}};
        if (record.loaded)
            item.insert(QStringLiteral("metadata"), record.metadata.toJson());
        else
            item.insert(QStringLiteral("error"), record.error);
        list.append(item);
        rows << QStringList{record.loaded ? record.metadata.task : QStringLiteral("-"),
                            record.loaded ? QStringLiteral("loaded") : QStringLiteral("failed"),
                            record.loaded ? record.metadata.name + QStringLiteral(" ") + record.metadata.version
                                          : record.error,
                            record.file};
    }
    out.document(
        QJsonObject{{QStringLiteral("plugins"), list},
                    {QStringLiteral("tasks"), QJsonArray::fromStringList(plugins.tasks())},
                    {QStringLiteral("search_paths"), QJsonArray::fromStringList(PluginManager::defaultSearchPaths())}});
    if (rows.isEmpty())
        out.line(QStringLiteral("No task plugins found in: %1")
                     .arg(PluginManager::defaultSearchPaths().join(QStringLiteral(", "))));
    else
        out.table({QStringLiteral("TASK"), QStringLiteral("STATUS"), QStringLiteral("PLUGIN"), QStringLiteral("FILE")},
                  rows);
    return ExitOk;
}

int runDevicesCommand(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("devices"),
                      QStringLiteral("List the compute devices and the one that would be used."), false);
    cmd.addOption({QStringLiteral("device"), QStringLiteral("Check that DEVICE (auto, cpu, cuda, cuda:N) can be used."),
                   QStringLiteral("DEVICE"), QStringLiteral("auto")});
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;
    const Result<QString> chosen = DeviceService::resolve(cmd.value(QStringLiteral("device")));
    if (!chosen) {
        Output::error(chosen.error().message);
        return ExitFailure;
    }
    const Output out = cmd.output();
    QJsonArray list;
    QList<QStringList> rows;
    const QLocale locale = QLocale::c();
    for (const DeviceInfo &device : DeviceService::devices()) {
        list.append(device.toJson());
        rows << QStringList{device.id == *chosen ? QStringLiteral("*") : QString(), device.id, device.name,
                            locale.formattedDataSize(device.memoryBytes, 1, QLocale::DataSizeTraditionalFormat)};
    }
    const ml::CpuFeatures &cpu = ml::cpuFeatures();
    const QString precision = ml::precisionName(*ml::resolvePrecision(QStringLiteral("auto"), QStringLiteral("cpu")));
    out.document(QJsonObject{{QStringLiteral("devices"), list},
                             {QStringLiteral("selected"), *chosen},
                             {QStringLiteral("threads"), DeviceService::threadCount()},
                             {QStringLiteral("cpu_features"), cpu.describe()},
                             {QStringLiteral("cpu_native_bf16"), cpu.nativeBf16()},
                             {QStringLiteral("cpu_precision"), precision}});
    out.table({QStringLiteral(" "), QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("MEMORY")}, rows);
    out.line(QStringLiteral("CPU: %1; --precision auto: %2").arg(cpu.describe(), ml::describeAutoPrecision()));
    return ExitOk;
}

}  // namespace dw::cli
