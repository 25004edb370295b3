#pragma once
// Settings ▸ Precision on the CPU: the three choices of the PrecisionSetting as radio items,
// each with a tool tip saying what it does here. The status bar's device indicator opens the
// same menu.
#include <QHash>
#include <QMenu>

class QAction;
class QActionGroup;

namespace dw {

class PrecisionSetting;

class PrecisionMenu : public QMenu {
    Q_OBJECT
public:
    explicit PrecisionMenu(PrecisionSetting &setting, QWidget *parent = nullptr);

    QAction *action(const QString &choice) const { return m_actions.value(choice); }  // "auto", "fp32", "bf16"

private:
    void follow(const QString &value);

    PrecisionSetting &m_setting;
    QActionGroup *m_group = nullptr;
    QHash<QString, QAction *> m_actions;
};

}  // namespace dw
