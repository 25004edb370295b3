#include "ui/training/device_defaults.h"

#include "core/task/plugin_manager.h"

namespace dw {

DeviceDefaults deviceTrainDefaults(const QJsonObject &pluginJson, const QString &device)
{
    if (device.startsWith(QLatin1String("cuda")))
        return {};
    const QJsonObject cpu = pluginJson.value(QStringLiteral("train-defaults-cpu")).toObject();
    DeviceDefaults defaults;
    defaults.values = cpu.value(QStringLiteral("values")).toObject().toVariantMap();
    if (!defaults.values.isEmpty()) {
        defaults.why = cpu.value(QStringLiteral("why")).toString();
        if (defaults.why.isEmpty())
            defaults.why = QObject::tr("Lighter defaults for the CPU.");
    }
    return defaults;
}

DeviceDefaults deviceTrainDefaults(const QString &task, const QString &device)
{
    for (const PluginRecord &record : PluginManager::instance().records())
        if (record.loaded && record.metadata.task == task)
            return deviceTrainDefaults(record.json, device);
    return {};
}

}  // namespace dw
