#include "ui/catalog/filter_chip_bar.h"

#include "ui/widgets/flow_layout.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace dw {

FilterChipBar::FilterChipBar(const QString &label, Selection selection, QWidget *parent)
    : QWidget(parent), m_selection(selection)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    m_label = new QLabel(label, this);
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("Keywords:")) + 4);
    // As tall as a chip, so that the label sits level with the first row of chips.
    m_label->setMinimumHeight(m_label->fontMetrics().height() + 8);
    m_label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    layout->addWidget(m_label, 0, Qt::AlignTop);
    auto *chips = new QWidget(this);
    m_flow = new FlowLayout(chips, 6, 4);
    layout->addWidget(chips, 1);
    // Chips look like pills; the checked ones are filled.
    setStyleSheet(QStringLiteral("QToolButton { border: 1px solid palette(mid); border-radius: 10px; padding: 2px 10px;"
                                 " background: palette(base); }"
                                 "QToolButton:hover { border-color: #1565c0; }"
                                 "QToolButton:checked { background: #1565c0; color: white; border-color: #1565c0; }"));
    if (m_selection == Selection::Single) {
        m_group = new QButtonGroup(this);
        m_group->setExclusive(true);
        m_anyChip = makeChip(tr("Any"), QString());
        m_anyChip->setChecked(true);
    }
}

void FilterChipBar::setVisibleLimit(int limit)
{
    m_limit = qMax(0, limit);
    updateVisibility();
}

void FilterChipBar::updateVisibility()
{
    if (!m_moreChip) {
        m_moreChip = new QToolButton(m_flow->parentWidget());
        m_moreChip->setAutoRaise(true);
        m_moreChip->setCursor(Qt::PointingHandCursor);
        m_moreChip->setStyleSheet(QStringLiteral("QToolButton { border: none; color: #1565c0; }"));
        connect(m_moreChip, &QToolButton::clicked, this, [this] {
            m_expanded = !m_expanded;
            updateVisibility();
        });
    }
    // The "more" chip always comes last.
    m_flow->removeWidget(m_moreChip);
    m_flow->addWidget(m_moreChip);
    int hidden = 0;
    for (int i = 0; i < m_values.size(); ++i) {
        QToolButton *chip = m_chips.value(m_values.at(i));
        const bool show = m_limit == 0 || m_expanded || i < m_limit || chip->isChecked();
        chip->setVisible(show);
        hidden += show ? 0 : 1;
    }
    const bool collapsible = m_limit > 0 && m_values.size() > m_limit;
    m_moreChip->setVisible(collapsible);
    m_moreChip->setText(m_expanded ? tr("show fewer") : tr("+%n more", nullptr, hidden));
    m_flow->invalidate();
    updateGeometry();
}

QToolButton *FilterChipBar::makeChip(const QString &text, const QString &value)
{
    auto *chip = new QToolButton(m_flow->parentWidget());
    chip->setText(text);
    chip->setCheckable(true);
    chip->setAutoRaise(false);
    chip->setCursor(Qt::PointingHandCursor);
    chip->setProperty("chipValue", value);
    chip->setAccessibleName(tr("Filter: %1").arg(text));
    if (m_group)
        m_group->addButton(chip);
    connect(chip, &QToolButton::toggled, this, &FilterChipBar::onToggled);
    m_flow->addWidget(chip);
    return chip;
}

void FilterChipBar::setChoices(const QStringList &values, const std::function<QString(const QString &)> &displayName)
{
    if (values == m_values)
        return;
    const QStringList previous = selected();
    m_updating = true;
    for (QToolButton *chip : std::as_const(m_chips)) {
        if (m_group)
            m_group->removeButton(chip);
        m_flow->removeWidget(chip);
        delete chip;
    }
    m_chips.clear();
    m_values = values;
    for (const QString &value : values) {
        const QString text = displayName ? displayName(value) : value;
        QToolButton *chip = makeChip(text, value);
        chip->setToolTip(value);
        m_chips.insert(value, chip);
    }
    m_updating = false;
    setSelected(previous);
    updateVisibility();
    if (selected() != previous)
        Q_EMIT selectionChanged(selected());
}

QStringList FilterChipBar::selected() const
{
    QStringList result;
    for (const QString &value : m_values) {
        if (m_chips.value(value)->isChecked())
            result.append(value);
    }
    return result;
}

void FilterChipBar::setSelected(const QStringList &values)
{
    const bool wasUpdating = std::exchange(m_updating, true);
    bool any = false;
    for (auto it = m_chips.cbegin(); it != m_chips.cend(); ++it) {
        const bool on = values.contains(it.key()) && (m_selection == Selection::Multiple || !any);
        any = any || on;
        it.value()->setChecked(on);
    }
    if (m_anyChip && !any)
        m_anyChip->setChecked(true);
    m_updating = wasUpdating;
}

void FilterChipBar::clearSelection()
{
    const QStringList before = selected();
    setSelected({});
    if (!before.isEmpty())
        Q_EMIT selectionChanged({});
}

QAbstractButton *FilterChipBar::chip(const QString &value) const
{
    if (value.isEmpty())
        return m_anyChip;
    return m_chips.value(value);
}

void FilterChipBar::onToggled()
{
    if (m_updating)
        return;
    // An exclusive group toggles two buttons (one off, one on); report only the final state.
    auto *chip = qobject_cast<QToolButton *>(sender());
    if (m_group && chip && !chip->isChecked())
        return;
    Q_EMIT selectionChanged(selected());
}

}  // namespace dw
