#pragma once
// Every message the workbench shows to the user goes through here. Boxes are window-modal
// but opened asynchronously (QDialog::open), so no nested event loop ever blocks jobs or
// repaints. Tests switch interaction off: messages are then only announced by a signal
// and confirmations are answered automatically.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

namespace dw {

class MessagePresenter : public QObject {
    Q_OBJECT
public:
    enum class Severity { Information, Warning, Error };
    Q_ENUM(Severity)

    explicit MessagePresenter(QObject *parent = nullptr);

    // The window the boxes belong to.
    void setParentWidget(QWidget *widget) { m_parentWidget = widget; }
    // false: no box is shown; messageShown is still emitted and confirm() answers with
    // autoConfirm().
    void setInteractive(bool interactive) { m_interactive = interactive; }
    bool isInteractive() const { return m_interactive; }
    void setAutoConfirm(bool yes) { m_autoConfirm = yes; }
    bool autoConfirm() const { return m_autoConfirm; }

    // text: what is wrong and what to do; details: the long form (a log), may be empty.
    void show(Severity severity, const QString &title, const QString &text, const QString &details = {});
    void information(const QString &title, const QString &text) { show(Severity::Information, title, text); }
    void warning(const QString &title, const QString &text, const QString &details = {})
    {
        show(Severity::Warning, title, text, details);
    }
    void error(const QString &title, const QString &text, const QString &details = {})
    {
        show(Severity::Error, title, text, details);
    }

    // Asks a yes/no question; onYes runs later, on the GUI thread, only if the user agrees.
    void confirm(const QString &title, const QString &text, const QString &yesLabel, std::function<void()> onYes);

    const QString &lastText() const { return m_lastText; }

Q_SIGNALS:
    void messageShown(dw::MessagePresenter::Severity severity, const QString &title, const QString &text);
    void confirmationAsked(const QString &title, const QString &text, bool answeredYes);

private:
    QPointer<QWidget> m_parentWidget;
    bool m_interactive = true;
    bool m_autoConfirm = true;
    QString m_lastText;
};

}  // namespace dw
