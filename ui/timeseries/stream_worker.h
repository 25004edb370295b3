#pragma once
// Runs a StreamMonitor on a thread of its own for the live mode: the monitor is opened
// (weights loaded) and each line pushed (a forward pass) there, never on the GUI thread.
// Lines arrive by queued calls of push(), in order; what each did comes back by signals.
#include "core/task/streaming_task.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>

namespace dw {

// A StreamUpdate as it crosses to the GUI thread.
struct LivePoint {
    StreamUpdate update;
};

class StreamWorker : public QObject {
    Q_OBJECT
public:
    // task outlives the worker (plugins stay loaded until the process ends).
    StreamWorker(StreamingTask *task, QString moduleDirectory, QVariantMap options);
    ~StreamWorker() override;

public Q_SLOTS:
    void open();
    void push(const QByteArray &line);

Q_SIGNALS:
    void opened(const QStringList &targets, int warmUpPoints);
    void openFailed(const QString &message);
    void pointReady(const dw::LivePoint &point);
    void lineSkipped(const QString &reason);

private:
    StreamingTask *m_task = nullptr;
    QString m_moduleDirectory;
    QVariantMap m_options;
    std::unique_ptr<StreamMonitor> m_monitor;
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::LivePoint)
