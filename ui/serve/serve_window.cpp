#include "ui/serve/serve_window.h"

#include "core/catalog/catalog.h"
#include "core/jobs/job_manager.h"
#include "core/serve/rest_server.h"
#include "ui/catalog/catalog_service.h"
#include "ui/workbench_context.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dw {

namespace {

constexpr int kMaxLogLines = 2000;

// A word-wrapped label's width is what the window gives it (its height follows): its text
// never asks for a wider window.
QSizePolicy widthIgnored(QSizePolicy policy)
{
    policy.setHorizontalPolicy(QSizePolicy::Ignored);
    return policy;
}

}  // namespace

ServeWindow::ServeWindow(QString moduleId, QString catalogDirectory, JobManager *jobs, PluginManager *plugins,
                         QWidget *parent)
    : QWidget(parent, Qt::Window), m_moduleId(std::move(moduleId)), m_catalogDirectory(std::move(catalogDirectory)),
      m_jobs(jobs), m_plugins(plugins)
{
    setAttribute(Qt::WA_DeleteOnClose);
    setObjectName(QStringLiteral("serveWindow"));
    setWindowTitle(tr("Serve %1").arg(m_moduleId));
    resize(640, 420);

    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(5000);
    m_port->setToolTip(tr("0 picks any free port"));
    m_token = new QLineEdit(this);
    m_token->setPlaceholderText(tr("optional: clients must send \"Authorization: Bearer <token>\""));
    m_token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("serveStart"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("serveStop"));
    m_url = new QLabel(this);
    m_url->setObjectName(QStringLiteral("serveUrl"));
    m_url->setOpenExternalLinks(true);
    m_url->setTextInteractionFlags(Qt::TextBrowserInteraction);
    // Long URLs (a long module id) wrap instead of widening the window when serving starts.
    m_url->setWordWrap(true);
    m_url->setSizePolicy(widthIgnored(m_url->sizePolicy()));
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("serveLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setPlaceholderText(tr("Requests appear here."));
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);  // long lines wrap; the window keeps its width

    auto *form = new QFormLayout;
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Token:"), m_token);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A DEEPaaS v2 compatible REST API for <b>%1</b>, on this computer only (loopback).")
                                 .arg(m_moduleId.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    intro->setSizePolicy(widthIgnored(intro->sizePolicy()));
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_url);
    layout->addWidget(new QLabel(tr("Request log:"), this));
    layout->addWidget(m_log, 1);

    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &ServeWindow::stop);
    updateState();
}

ServeWindow::~ServeWindow()
{
    stop();
}

ServeWindow *ServeWindow::showFor(QWidget *anchor, const QString &moduleId)
{
    QWidget *top = anchor ? anchor->window() : nullptr;
    if (top) {
        for (ServeWindow *window : top->findChildren<ServeWindow *>()) {
            if (window->moduleId() == moduleId) {
                window->show();
                window->raise();
                window->activateWindow();
                return window;
            }
        }
    }
    WorkbenchContext *context = top ? top->findChild<WorkbenchContext *>() : nullptr;
    const QString catalog = context ? context->catalog().userDirectory() : Catalog::defaultUserDirectory();
    auto *window = new ServeWindow(moduleId, catalog, context ? &context->jobs() : nullptr, nullptr, top);
    window->show();
    return window;
}

bool ServeWindow::isServing() const
{
    return m_server && m_server->isListening();
}

QString ServeWindow::url() const
{
    return isServing() ? m_server->url() : QString();
}

QStringList ServeWindow::logLines() const
{
    return m_log->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

void ServeWindow::setPort(int port)
{
    m_port->setValue(port);
}

bool ServeWindow::start()
{
    if (isServing())
        return true;
    ServeOptions options;
    options.port = quint16(m_port->value());
    options.token = m_token->text().trimmed();
    options.modules = {m_moduleId};
    options.catalogDirectory = m_catalogDirectory;
    m_server = std::make_unique<RestServer>(options, m_jobs.data(), m_plugins);
    connect(m_server.get(), &RestServer::requestLogged, this, &ServeWindow::appendLog);
    const Result<void> started = m_server->start();
    if (!started) {
        appendLog(tr("Cannot start: %1").arg(started.error().text()));
        m_server.reset();
        updateState();
        return false;
    }
    for (const QString &warning : m_server->warnings())
        appendLog(tr("Note: %1").arg(warning));
    appendLog(tr("Serving %1 at %2").arg(m_moduleId, m_server->url()));
    updateState();
    Q_EMIT servingChanged(true);
    return true;
}

void ServeWindow::stop()
{
    if (!m_server)
        return;
    m_server->stop();
    m_server.reset();
    if (m_log)
        appendLog(tr("Stopped"));
    updateState();
    Q_EMIT servingChanged(false);
}

void ServeWindow::appendLog(const QString &line)
{
    m_log->appendPlainText(line);
}

void ServeWindow::updateState()
{
    const bool serving = isServing();
    m_start->setEnabled(!serving);
    m_stop->setEnabled(serving);
    m_port->setEnabled(!serving);
    m_token->setEnabled(!serving);
    if (serving) {
        const QString base = m_server->url();
        const QString predict = base + QStringLiteral("/v2/models/%1/predict/").arg(m_moduleId);
        m_url->setText(
            tr("<a href=\"%1\">%1</a> &nbsp; (predict: <code>POST %2</code>, try it: <a href=\"%3/ui\">%3/ui</a>, "
               "documentation: <a href=\"%3/api\">%3/api</a>)")
                .arg(base.toHtmlEscaped(), predict.toHtmlEscaped(), base.toHtmlEscaped()));
    } else {
        m_url->setText(tr("Not serving."));
    }
}

}  // namespace dw
