#include "ui/timeseries/stream_worker.h"

namespace dw {

StreamWorker::StreamWorker(StreamingTask *task, QString moduleDirectory, QVariantMap options)
    : m_task(task), m_moduleDirectory(std::move(moduleDirectory)), m_options(std::move(options))
{
    qRegisterMetaType<dw::LivePoint>();
}

StreamWorker::~StreamWorker() = default;

void StreamWorker::open()
{
    Result<std::unique_ptr<StreamMonitor>> monitor = m_task->openStream(m_moduleDirectory, m_options);
    if (!monitor) {
        Q_EMIT openFailed(monitor.error().text());
        return;
    }
    m_monitor = std::move(monitor).value();
    Q_EMIT opened(m_monitor->targets(), m_monitor->warmUpPoints());
}

void StreamWorker::push(const QByteArray &line)
{
    if (!m_monitor)
        return;  // the open failed: the page is stopping the stream
    Result<StreamUpdate> update = m_monitor->pushLine(line);
    if (!update) {
        Q_EMIT lineSkipped(update.error().text());
        return;
    }
    if (update->observed.empty())
        return;  // a header line
    Q_EMIT pointReady(LivePoint{std::move(update).value()});
}

}  // namespace dw
