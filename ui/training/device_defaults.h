#pragma once
// Training defaults that depend on the device: a plugin's schema holds the defaults for a GPU,
// and its plugin.json may add lighter ones for the CPU ("train-defaults-cpu": {"why": "...",
// "values": {"patch": 32, ...}}), so that a first training on a laptop finishes in minutes.
#include <QJsonObject>
#include <QString>
#include <QVariantMap>

namespace dw {

struct DeviceDefaults {
    QVariantMap values;  // argument name → value, replacing the schema's default
    QString why;         // one sentence for the form; empty when values is empty
    bool isEmpty() const { return values.isEmpty(); }
};

// The defaults a plugin (its plugin.json) gives for device ("cpu", "cuda", "cuda:1"); empty
// on a GPU and for a plugin that declares none.
DeviceDefaults deviceTrainDefaults(const QJsonObject &pluginJson, const QString &device);

// The same, looked up among the loaded plugins by task id.
DeviceDefaults deviceTrainDefaults(const QString &task, const QString &device);

}  // namespace dw
