#pragma once
// The status-bar label naming the device jobs run on ("GPU cuda:0 — NVIDIA H100" or
// "CPU — AMD EPYC (16 threads)"). The devices are probed off the GUI thread because the
// first CUDA query can take seconds.
#include <QFutureWatcher>
#include <QLabel>

namespace dw {

class DeviceIndicator : public QLabel {
    Q_OBJECT
public:
    explicit DeviceIndicator(QWidget *parent = nullptr);

    bool isDetected() const { return m_detected; }
    const QString &deviceId() const { return m_deviceId; }  // "cpu", "cuda:0"; empty until detected

Q_SIGNALS:
    void detected(const QString &deviceId, const QString &text);

private:
    struct Probe {
        QString deviceId;
        QString text;
        QString toolTip;
    };
    static Probe probe();

    QFutureWatcher<Probe> m_watcher;
    bool m_detected = false;
    QString m_deviceId;
};

}  // namespace dw
