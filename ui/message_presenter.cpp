#include "ui/message_presenter.h"

#include <QMessageBox>
#include <QPushButton>

namespace dw {

MessagePresenter::MessagePresenter(QObject *parent) : QObject(parent)
{}

void MessagePresenter::show(Severity severity, const QString &title, const QString &text, const QString &details)
{
    m_lastText = text;
    Q_EMIT messageShown(severity, title, text);
    if (!m_interactive)
        return;
    const QMessageBox::Icon icon = severity == Severity::Error     ? QMessageBox::Critical
                                   : severity == Severity::Warning ? QMessageBox::Warning
                                                                   : QMessageBox::Information;
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, m_parentWidget);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (!details.isEmpty())
        box->setDetailedText(details);
    box->open();
}

void MessagePresenter::confirm(const QString &title, const QString &text, const QString &yesLabel,
                               std::function<void()> onYes)
{
    if (!m_interactive) {
        Q_EMIT confirmationAsked(title, text, m_autoConfirm);
        if (m_autoConfirm && onYes)
            onYes();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::NoButton, m_parentWidget);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = box->addButton(yesLabel, QMessageBox::AcceptRole);
    QPushButton *no = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(no);
    connect(box, &QMessageBox::finished, this, [this, box, yes, title, text, onYes = std::move(onYes)] {
        const bool agreed = box->clickedButton() == yes;
        Q_EMIT confirmationAsked(title, text, agreed);
        if (agreed && onYes)
            onYes();
    });
    box->open();
}

}  // namespace dw
