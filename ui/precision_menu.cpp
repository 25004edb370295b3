#include "ui/precision_menu.h"

#include "core/ml/precision.h"
#include "ui/precision_setting.h"

#include <QAction>
#include <QActionGroup>
#include <QTextDocument>

namespace dw {

PrecisionMenu::PrecisionMenu(PrecisionSetting &setting, QWidget *parent)
    : QMenu(tr("&Precision on the CPU"), parent), m_setting(setting)
{
    setObjectName(QStringLiteral("precisionMenu"));
    setToolTipsVisible(true);
    menuAction()->setToolTip(tr("The number format jobs on the CPU compute in (--precision)"));
    m_group = new QActionGroup(this);
    m_group->setExclusive(true);
    for (const QString &choice : ml::precisionChoices()) {
        QAction *action = addAction(PrecisionSetting::label(choice));
        action->setObjectName(QStringLiteral("precision-") + choice);
        action->setCheckable(true);
        action->setData(choice);
        action->setToolTip(
            Qt::convertFromPlainText(PrecisionSetting::explanation(choice), Qt::WhiteSpaceNormal));  // wrapped
        m_group->addAction(action);
        m_actions.insert(choice, action);
    }
    connect(m_group, &QActionGroup::triggered, this, [this](QAction *action) {
        // Only the three choices are offered: setValue cannot fail here.
        (void)m_setting.setValue(action->data().toString());
    });
    connect(&m_setting, &PrecisionSetting::changed, this, &PrecisionMenu::follow);
    follow(m_setting.value());
}

void PrecisionMenu::follow(const QString &value)
{
    if (QAction *chosen = m_actions.value(value))
        chosen->setChecked(true);
}

}  // namespace dw
