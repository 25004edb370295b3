#include "ui/jobs/run_record_dialog.h"

#include "ui/jobs/run_record_model.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace dw {

namespace {

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("—");
}

QPlainTextEdit *readOnlyText(QWidget *parent, const QString &objectName, const QString &text)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setPlainText(text);
    return edit;
}

QLabel *selectable(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

}  // namespace

QString RunRecordDialog::moduleOf(const JobInfo &record)
{
    const QJsonObject result = record.result.toJsonValue().toObject();
    const QString folder = result.value(QStringLiteral("module")).toString();
    if (folder.isEmpty())
        return {};
    const QString id = result.value(QStringLiteral("id")).toString();
    return id.isEmpty() ? QFileInfo(folder).fileName() : id;
}

RunRecordDialog::RunRecordDialog(const JobInfo &record, QWidget *parent) : QDialog(parent), m_record(record)
{
    setObjectName(QStringLiteral("runRecordDialog"));
    setWindowTitle(tr("Run: %1").arg(record.title.isEmpty() ? record.id : record.title));

    auto *form = new QFormLayout;
    form->addRow(tr("Run:"), selectable(record.title, this));
    form->addRow(tr("Identifier:"), selectable(record.id, this));
    form->addRow(tr("Kind:"), selectable(record.kind, this));
    form->addRow(tr("State:"), selectable(jobStateName(record.state), this));
    form->addRow(tr("Device:"), selectable(record.device.isEmpty() ? tr("not recorded") : record.device, this));
    form->addRow(tr("Created:"), selectable(timeText(record.created), this));
    form->addRow(tr("Started:"), selectable(timeText(record.started), this));
    form->addRow(tr("Finished:"), selectable(timeText(record.finished), this));
    form->addRow(tr("Duration:"),
                 selectable(RunRecordModel::durationText(RunRecordModel::durationSeconds(record)), this));
    if (!record.error.isEmpty()) {
        QLabel *error = selectable(record.error, this);
        error->setStyleSheet(QStringLiteral("color: #c62828;"));
        form->addRow(tr("Error:"), error);
    }

    const QJsonValue result = record.result.toJsonValue();
    QString resultText;
    if (result.isObject())
        resultText = QString::fromUtf8(QJsonDocument(result.toObject()).toJson(QJsonDocument::Indented));
    else if (result.isArray())
        resultText = QString::fromUtf8(QJsonDocument(result.toArray()).toJson(QJsonDocument::Indented));
    else if (!result.isUndefined() && !result.isNull())
        resultText = result.toVariant().toString();
    else
        resultText = tr("(no result recorded)");

    auto *tabs = new QTabWidget(this);
    m_log = readOnlyText(tabs, QStringLiteral("runLog"), record.log.join(QLatin1Char('\n')));
    m_result = readOnlyText(tabs, QStringLiteral("runResult"), resultText);
    tabs->addTab(m_log, record.log.size() == 1 ? tr("Log (1 line)") : tr("Log (%1 lines)").arg(record.log.size()));
    tabs->addTab(m_result, tr("Result"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (const QString module = moduleOf(record); !module.isEmpty()) {
        m_openModule = buttons->addButton(tr("Open Module %1").arg(module), QDialogButtonBox::ActionRole);
        m_openModule->setObjectName(QStringLiteral("openModuleButton"));
        connect(m_openModule, &QPushButton::clicked, this, [this, module] {
            Q_EMIT moduleRequested(module);
            accept();
        });
    }

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(760, 560);
}

}  // namespace dw
