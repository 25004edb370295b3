#pragma once
// The status-bar label naming the device jobs run on ("GPU cuda:0 — NVIDIA H100" or
// "CPU — AMD EPYC (16 threads), bf16": on the CPU, the precision the setting gives there).
// The devices are probed off the GUI thread because the first CUDA query can take seconds.
// A click opens the precision menu.
#include <QFutureWatcher>
#include <QLabel>
#include <QPointer>

class QMenu;

namespace dw {

class PrecisionSetting;

class DeviceIndicator : public QLabel {
    Q_OBJECT
public:
    explicit DeviceIndicator(const PrecisionSetting &precision, QWidget *parent = nullptr);

    bool isDetected() const { return m_detected; }
    const QString &deviceId() const { return m_deviceId; }  // "cpu", "cuda:0"; empty until detected
    // The menu a click (or a right-click) opens: Settings ▸ Precision on the CPU.
    void setMenu(QMenu *menu);

Q_SIGNALS:
    void detected(const QString &deviceId, const QString &text);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    struct Probe {
        QString deviceId;
        QString text;
        QString toolTip;
    };
    static Probe probe();
    void showProbe();  // the probe's text with the precision as set now
    void openMenu();

    const PrecisionSetting &m_precision;
    QFutureWatcher<Probe> m_watcher;
    Probe m_probe;
    bool m_detected = false;
    QString m_deviceId;
    QPointer<QMenu> m_menu;
};

}  // namespace dw
