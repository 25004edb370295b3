#include "ui/device_indicator.h"

#include "core/ml/device_service.h"
#include "core/ml/precision.h"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

DeviceIndicator::DeviceIndicator(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("deviceIndicator"));
    setText(tr("Device: detecting…"));
    setContentsMargins(8, 0, 8, 0);
    connect(&m_watcher, &QFutureWatcher<Probe>::finished, this, [this] {
        const Probe result = m_watcher.result();
        m_deviceId = result.deviceId;
        m_detected = true;
        setText(result.text);
        setToolTip(result.toolTip);
        Q_EMIT detected(result.deviceId, result.text);
    });
    m_watcher.setFuture(QtConcurrent::run(&DeviceIndicator::probe));
}

DeviceIndicator::Probe DeviceIndicator::probe()
{
    Probe result;
    const Result<QString> resolved = DeviceService::resolve(QStringLiteral("auto"));
    result.deviceId = resolved.ok() ? resolved.value() : QStringLiteral("cpu");
    const QList<DeviceInfo> devices = DeviceService::devices();
    QStringList lines;
    QString name;
    const QLocale locale;
    for (const DeviceInfo &device : devices) {
        lines << QStringLiteral("%1: %2, %3")
                     .arg(device.id, device.name,
                          locale.formattedDataSize(device.memoryBytes, 1, QLocale::DataSizeTraditionalFormat));
        if (device.id == result.deviceId)
            name = device.name;
    }
    const bool cuda = result.deviceId.startsWith(QLatin1String("cuda"));
    const QString kind = cuda ? tr("GPU %1").arg(result.deviceId) : tr("CPU");
    result.text = name.isEmpty() ? tr("Device: %1").arg(kind) : tr("Device: %1 — %2").arg(kind, name);
    result.toolTip = tr("Training and inference run on %1.\n\nDevices found:\n%2")
                         .arg(result.deviceId, lines.join(QLatin1Char('\n')));
    if (!cuda) {
        // What --precision auto runs a prediction in here (bf16 where the processor has it).
        const Result<ml::Precision> precision = ml::resolvePrecision(QStringLiteral("auto"), result.deviceId);
        if (precision)
            result.text += QStringLiteral(", ") + ml::precisionName(*precision);
        result.toolTip += tr("\n\nPredictions on the CPU: %1.").arg(ml::describeAutoPrecision());
    }
    if (!resolved.ok())
        result.toolTip += QStringLiteral("\n\n") + resolved.error().text();
    return result;
}

}  // namespace dw
