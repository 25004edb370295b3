#include "ui/device_indicator.h"

#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "ui/precision_setting.h"

#include <QContextMenuEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

DeviceIndicator::DeviceIndicator(const PrecisionSetting &precision, QWidget *parent)
    : QLabel(parent), m_precision(precision)
{
    setObjectName(QStringLiteral("deviceIndicator"));
    setText(tr("Device: detecting…"));
    setContentsMargins(8, 0, 8, 0);
    connect(&m_watcher, &QFutureWatcher<Probe>::finished, this, [this] {
        m_probe = m_watcher.result();
        m_deviceId = m_probe.deviceId;
        m_detected = true;
        showProbe();
        Q_EMIT detected(m_deviceId, text());
    });
    connect(&m_precision, &PrecisionSetting::changed, this, [this] {
        if (m_detected)
            showProbe();
    });
    m_watcher.setFuture(QtConcurrent::run(&DeviceIndicator::probe));
}

void DeviceIndicator::setMenu(QMenu *menu)
{
    m_menu = menu;
    setCursor(menu ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void DeviceIndicator::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_menu) {
        openMenu();
        event->accept();
        return;
    }
    QLabel::mousePressEvent(event);
}

void DeviceIndicator::contextMenuEvent(QContextMenuEvent *event)
{
    if (!m_menu) {
        QLabel::contextMenuEvent(event);
        return;
    }
    openMenu();
    event->accept();
}

void DeviceIndicator::openMenu()
{
    // Above the label: the status bar is at the bottom of the window.
    const QSize size = m_menu->sizeHint();
    m_menu->popup(mapToGlobal(QPoint(width() - size.width(), -size.height())));
}

void DeviceIndicator::showProbe()
{
    const QString setting = PrecisionSetting::label(m_precision.value()).remove(QLatin1Char('&'));
    const std::optional<ml::Precision> precision = m_precision.effectiveOn(m_probe.deviceId);
    QString text = m_probe.text;
    QString toolTip = m_probe.toolTip + QStringLiteral("\n\n");
    if (precision) {
        text += QStringLiteral(", ") + ml::precisionName(*precision);
        toolTip += tr("Precision on the CPU: %1 — here %2.\n%3")
                       .arg(setting, ml::precisionName(*precision), PrecisionSetting::explanation(m_precision.value()));
    } else {
        toolTip +=
            tr("Precision on the CPU: %1 (for jobs on the CPU; the GPU keeps its own mixed precision).").arg(setting);
    }
    toolTip += tr("\n\nClick to change it, or use Settings ▸ Precision on the CPU.");
    setText(text);
    setToolTip(Qt::convertFromPlainText(toolTip, Qt::WhiteSpaceNormal));  // rich text: long lines wrap
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
    if (!resolved.ok())
        result.toolTip += QStringLiteral("\n\n") + resolved.error().text();
    return result;
}

}  // namespace dw
