#pragma once
// A labelled row of checkable "chips" that wraps onto several lines. Single selection (a
// task: one chip or "Any") or multiple selection (keywords: every checked one must match).
#include <QHash>
#include <QStringList>
#include <QWidget>

#include <functional>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QToolButton;

namespace dw {

class FlowLayout;

class FilterChipBar : public QWidget {
    Q_OBJECT
public:
    enum class Selection { Single, Multiple };

    FilterChipBar(const QString &label, Selection selection, QWidget *parent = nullptr);

    // The values to offer; checked values that are still offered stay checked.
    // displayName turns a value into the chip's text (identity when null).
    void setChoices(const QStringList &values, const std::function<QString(const QString &)> &displayName = {});
    QStringList choices() const { return m_values; }
    QStringList selected() const;
    void setSelected(const QStringList &values);
    void clearSelection();
    QAbstractButton *chip(const QString &value) const;
    // Shows only the first `limit` chips (and the checked ones) behind a "+N more" chip;
    // 0 shows them all.
    void setVisibleLimit(int limit);

Q_SIGNALS:
    void selectionChanged(const QStringList &selected);

private:
    QToolButton *makeChip(const QString &text, const QString &value);
    void onToggled();
    void updateVisibility();

    Selection m_selection;
    QLabel *m_label = nullptr;
    FlowLayout *m_flow = nullptr;
    QButtonGroup *m_group = nullptr;   // single selection only
    QToolButton *m_anyChip = nullptr;  // single selection only
    QToolButton *m_moreChip = nullptr;
    int m_limit = 0;
    bool m_expanded = false;
    QStringList m_values;
    QHash<QString, QToolButton *> m_chips;
    bool m_updating = false;
};

}  // namespace dw
