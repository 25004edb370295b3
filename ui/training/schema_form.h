#pragma once
// A form generated from a task's ArgumentSchema: one section per group, one editor per
// argument (spin boxes with the schema's range, combo boxes for enums, editable ones for text
// with suggestions, check boxes, path fields with a browse button), the help text as tool tip, the defaults filled in and a
// reset. Every task's train/predict/evaluate page is built from it, so a new argument in a
// plugin shows up in the GUI without GUI code.
#include "core/task/argument_schema.h"
#include "core/util/result.h"

#include <QHash>
#include <QStringList>
#include <QVariantMap>
#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace dw {

class SchemaForm : public QWidget {
    Q_OBJECT
public:
    explicit SchemaForm(QWidget *parent = nullptr);

    // Rebuilds the form. hidden: arguments the page fills itself (the module folder, the
    // parent) — they get no editor and are left out of values().
    void setSchema(const ArgumentSchema &schema, const QStringList &hidden = {});
    const ArgumentSchema &schema() const { return m_schema; }

    // The raw values as edited (strings, numbers, booleans); empty fields are left out so
    // that validation fills the defaults and names what is missing.
    QVariantMap values() const;
    // values() plus fixed (what the page fills itself, such as the module folder), checked
    // and converted by the schema; the error names the field, and the field is marked.
    Result<QVariantMap> arguments(const QVariantMap &fixed = {});

    // Sets an editor's value (ignored for an unknown or hidden name).
    void setValue(const QString &name, const QVariant &value);
    // Makes value an argument's default (what Reset gives, what its tool tip says); an editor
    // still showing the old default follows, one the user changed keeps its value.
    void setDefaultValue(const QString &name, const QVariant &value);
    QVariant value(const QString &name) const;
    // The editor of an argument (QSpinBox, QLineEdit, QComboBox, QCheckBox), nullptr if none.
    QWidget *editor(const QString &name) const;
    QLabel *label(const QString &name) const { return m_labels.value(name); }
    // A text argument declared with choices is an editable combo box: they are its
    // suggestions, and these are offered after them (e.g. the catalog's modules).
    void setSuggestions(const QString &name, const QStringList &suggestions);
    QStringList groupTitles() const;  // the section titles, in order
    QPushButton *resetButton() const { return m_reset; }

public Q_SLOTS:
    void reset();  // every editor back to its default

Q_SIGNALS:
    void changed();

private:
    QWidget *createEditor(const ArgumentSpec &spec);
    QWidget *createLineEditor(const ArgumentSpec &spec, QWidget *&field);
    void markError(const QString &field, const QString &message);

    ArgumentSchema m_schema;
    QStringList m_hidden;
    QHash<QString, QWidget *> m_editors;  // by argument name
    QHash<QString, QLabel *> m_labels;
    QStringList m_groupTitles;
    QWidget *m_body = nullptr;
    QVBoxLayout *m_bodyLayout = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_reset = nullptr;
};

}  // namespace dw
