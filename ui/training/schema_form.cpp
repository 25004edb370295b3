#include "ui/training/schema_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace dw {

namespace {

// Numbers as a person writes them, never "0.001000".
QString numberText(double value)
{
    return QString::number(value, 'g', 10);
}

// "label-smoothing" -> "Label smoothing"; the short names of the CLI spelt out.
QString labelOf(const QString &name)
{
    static const QHash<QString, QString> spelt{{QStringLiteral("lr"), QObject::tr("Learning rate")},
                                               {QStringLiteral("arch"), QObject::tr("Architecture")},
                                               {QStringLiteral("roi"), QObject::tr("Region of interest")},
                                               {QStringLiteral("batch"), QObject::tr("Batch size")},
                                               {QStringLiteral("val-fraction"), QObject::tr("Validation fraction")}};
    if (const auto it = spelt.find(name); it != spelt.end())
        return *it;
    QString text = name;
    text.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QString toolTipOf(const ArgumentSpec &spec)
{
    QString tip = spec.help;
    if (spec.minimum || spec.maximum) {
        const QString low = spec.minimum ? numberText(*spec.minimum) : QStringLiteral("…");
        const QString high = spec.maximum ? numberText(*spec.maximum) : QStringLiteral("…");
        tip += QStringLiteral("\nRange: %1 to %2.").arg(low, high);
    }
    if (spec.defaultValue.isValid() && !spec.defaultValue.toString().isEmpty())
        tip += QStringLiteral("\nDefault: %1.").arg(spec.defaultValue.toString());
    tip += QStringLiteral("\n(--%1)").arg(spec.name);
    return tip;
}

// What "0: ..." in a help text says 0 stands for, up to the end of that clause; empty when it
// says nothing.
QString zeroMeaning(const QString &help)
{
    static const QRegularExpression zero(QStringLiteral("(?:^|[;.]\\s*)0: ([^;.(]+)"));
    const QRegularExpressionMatch match = zero.match(help);
    return match.hasMatch() ? match.captured(1).trimmed() : QString();
}

// The schema's groups, those with a required field first (the data, the module's name), the
// others in the schema's order.
QStringList groupsInOrder(const ArgumentSchema &schema)
{
    QStringList required, optional;
    for (const QString &group : schema.groups()) {
        const bool any = std::any_of(schema.specs().begin(), schema.specs().end(),
                                     [&](const ArgumentSpec &spec) { return spec.group == group && spec.required; });
        (any ? required : optional) << group;
    }
    return required + optional;
}

}  // namespace

SchemaForm::SchemaForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_body = new QWidget(this);
    m_bodyLayout = new QVBoxLayout(m_body);
    m_bodyLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_body);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("schemaFormError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_reset = new QPushButton(tr("Reset to Defaults"), this);
    m_reset->setToolTip(tr("Put every field back to the task's default value."));
    connect(m_reset, &QPushButton::clicked, this, &SchemaForm::reset);
    buttons->addWidget(m_reset);
    layout->addLayout(buttons);
}

void SchemaForm::setSchema(const ArgumentSchema &schema, const QStringList &hidden)
{
    m_schema = schema;
    m_hidden = hidden;
    m_editors.clear();
    m_labels.clear();
    m_groupTitles.clear();
    while (QLayoutItem *item = m_bodyLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const QString &group : groupsInOrder(schema)) {
        const QString title = group.isEmpty() ? tr("General") : group;
        auto *box = new QGroupBox(title, m_body);
        auto *form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        bool any = false;
        for (const ArgumentSpec &spec : schema.specs()) {
            if (spec.group != group || hidden.contains(spec.name))
                continue;
            QWidget *field = createEditor(spec);
            auto *label = new QLabel((spec.label.isEmpty() ? labelOf(spec.name) : spec.label) +
                                         (spec.required ? QStringLiteral(" *") : QString()),
                                     box);
            label->setToolTip(toolTipOf(spec));
            label->setBuddy(m_editors.value(spec.name));
            m_labels.insert(spec.name, label);
            form->addRow(label, field);
            any = true;
        }
        if (!any) {
            delete box;
            continue;
        }
        m_groupTitles << title;
        m_bodyLayout->addWidget(box);
    }
    m_error->hide();
    reset();
}

QWidget *SchemaForm::createEditor(const ArgumentSpec &spec)
{
    const QString tip = toolTipOf(spec);
    QWidget *editor = nullptr;
    QWidget *field = nullptr;
    switch (spec.type) {
    case ArgType::Int: {
        auto *box = new QSpinBox(m_body);
        const int low = spec.minimum ? int(std::max(*spec.minimum, double(std::numeric_limits<int>::min())))
                                     : std::numeric_limits<int>::min();
        const int high = spec.maximum ? int(std::min(*spec.maximum, double(std::numeric_limits<int>::max())))
                                      : std::numeric_limits<int>::max();
        box->setRange(low, high);
        box->setAccelerated(true);
        // A count whose 0 means something ("0: one per core", "0: never stop early", "0: 28 for
        // smallcnn, 224 for the others") shows that meaning instead of a bare 0.
        if (low == 0)
            box->setSpecialValueText(zeroMeaning(spec.help));
        connect(box, &QSpinBox::valueChanged, this, &SchemaForm::changed);
        editor = box;
        break;
    }
    case ArgType::Bool: {
        auto *box = new QCheckBox(m_body);
        connect(box, &QCheckBox::toggled, this, &SchemaForm::changed);
        editor = box;
        break;
    }
    case ArgType::Enum: {
        auto *box = new QComboBox(m_body);
        box->addItems(spec.choices);
        connect(box, &QComboBox::currentIndexChanged, this, &SchemaForm::changed);
        editor = box;
        break;
    }
    case ArgType::String:
        if (!spec.choices.isEmpty()) {  // suggestions: pick one or type another value
            auto *box = new QComboBox(m_body);
            box->setEditable(true);
            box->setInsertPolicy(QComboBox::NoInsert);
            box->addItems(spec.choices);
            connect(box, &QComboBox::currentTextChanged, this, &SchemaForm::changed);
            editor = box;
            break;
        }
        [[fallthrough]];
    default:
        editor = createLineEditor(spec, field);
        break;
    }
    editor->setToolTip(tip);
    editor->setObjectName(QStringLiteral("arg-") + spec.name);
    m_editors.insert(spec.name, editor);
    return field ? field : editor;
}

QWidget *SchemaForm::createLineEditor(const ArgumentSpec &spec, QWidget *&field)
{
    // String, Float, List and paths: a line edit (paths with a browse button beside it)
    auto *line = new QLineEdit(m_body);
    line->setClearButtonEnabled(spec.type != ArgType::Float);
    if (spec.type == ArgType::Float) {
        auto *validator = new QDoubleValidator(line);
        validator->setLocale(QLocale::c());
        validator->setNotation(QDoubleValidator::ScientificNotation);
        line->setValidator(validator);
        line->setMaximumWidth(line->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 16);  // numbers are short
    } else if (spec.type == ArgType::List) {
        line->setPlaceholderText(tr("several values, separated by commas"));
    }
    connect(line, &QLineEdit::textChanged, this, &SchemaForm::changed);
    QWidget *editor = line;
    const bool pathList =
        spec.type == ArgType::List && (spec.itemType == ArgType::FilePath || spec.itemType == ArgType::FolderPath);
    if (spec.type == ArgType::FilePath || spec.type == ArgType::FolderPath || pathList) {
        // A path: the line edit and a browse button that opens a non-blocking dialog (a list
        // of files: several may be chosen at once).
        auto *row = new QWidget(m_body);
        auto *rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        rowLayout->addWidget(line, 1);
        auto *browse = new QToolButton(row);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(spec.type == ArgType::FolderPath ? tr("Choose a folder") : tr("Choose a file"));
        const bool folder = (pathList ? spec.itemType : spec.type) == ArgType::FolderPath;
        browse->setObjectName(QStringLiteral("browse-") + spec.name);
        connect(browse, &QToolButton::clicked, this, [this, line, folder, pathList] {
            const QString start = pathList ? line->text().section(QLatin1Char(','), 0, 0).trimmed() : line->text();
            auto *dialog = new QFileDialog(this, folder ? tr("Choose a Folder") : tr("Choose a File"), start);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setFileMode(folder ? QFileDialog::Directory
                                       : (pathList ? QFileDialog::ExistingFiles : QFileDialog::ExistingFile));
            if (folder)
                dialog->setOption(QFileDialog::ShowDirsOnly);
            connect(dialog, &QFileDialog::filesSelected, line,
                    [line](const QStringList &files) { line->setText(files.join(QStringLiteral(", "))); });
            dialog->open();
        });
        rowLayout->addWidget(browse);
        field = row;
    }
    return editor;
}

void SchemaForm::reset()
{
    for (const ArgumentSpec &spec : m_schema.specs()) {
        if (m_editors.contains(spec.name))
            setValue(spec.name, spec.defaultValue);
    }
    m_error->hide();
    for (QLabel *label : std::as_const(m_labels))
        label->setStyleSheet({});
}

void SchemaForm::setValue(const QString &name, const QVariant &value)
{
    QWidget *editor = m_editors.value(name);
    const ArgumentSpec *spec = m_schema.find(name);
    if (!editor || !spec)
        return;
    if (auto *box = qobject_cast<QSpinBox *>(editor)) {
        box->setValue(value.isValid() ? value.toInt() : std::max(box->minimum(), 0));
    } else if (auto *check = qobject_cast<QCheckBox *>(editor)) {
        check->setChecked(value.toBool());
    } else if (auto *combo = qobject_cast<QComboBox *>(editor); combo && combo->isEditable()) {
        combo->setCurrentText(value.toString());
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        const int index = combo->findText(value.toString());
        combo->setCurrentIndex(index >= 0 ? index : 0);
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        if (!value.isValid())
            line->clear();
        else if (spec->type == ArgType::Float) {
            bool ok = false;
            const double number = value.toDouble(&ok);
            line->setText(ok ? numberText(number) : value.toString());
        } else if (value.typeId() == QMetaType::QStringList || value.typeId() == QMetaType::QVariantList)
            line->setText(value.toStringList().join(QStringLiteral(", ")));
        else
            line->setText(value.toString());
    }
}

void SchemaForm::setDefaultValue(const QString &name, const QVariant &value)
{
    const ArgumentSpec *spec = m_schema.find(name);
    if (!spec)
        return;
    const bool showsDefault = m_editors.contains(name) && this->value(name).toString() == spec->defaultValue.toString();
    QList<ArgumentSpec> specs = m_schema.specs();
    for (ArgumentSpec &changed : specs) {
        if (changed.name != name)
            continue;
        changed.defaultValue = value;
        if (QWidget *editor = m_editors.value(name))
            editor->setToolTip(toolTipOf(changed));
        if (QLabel *label = m_labels.value(name))
            label->setToolTip(toolTipOf(changed));
    }
    m_schema = ArgumentSchema(std::move(specs));
    if (showsDefault)
        setValue(name, value);
}

QVariant SchemaForm::value(const QString &name) const
{
    QWidget *editor = m_editors.value(name);
    const ArgumentSpec *spec = m_schema.find(name);
    if (!editor || !spec)
        return {};
    if (auto *box = qobject_cast<QSpinBox *>(editor))
        return box->value();
    if (auto *check = qobject_cast<QCheckBox *>(editor))
        return check->isChecked();
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        const QString text = combo->currentText().trimmed();
        return combo->isEditable() && text.isEmpty() ? QVariant() : QVariant(text);
    }
    if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        const QString text = line->text().trimmed();
        if (text.isEmpty())
            return {};
        if (spec->type == ArgType::Float) {
            bool ok = false;
            const double number = QLocale::c().toDouble(text, &ok);
            return ok ? QVariant(number) : QVariant(text);  // the schema names a bad number
        }
        return text;
    }
    return {};
}

QVariantMap SchemaForm::values() const
{
    QVariantMap raw;
    for (const ArgumentSpec &spec : m_schema.specs()) {
        const QVariant v = value(spec.name);
        if (v.isValid())
            raw.insert(spec.name, v);
    }
    return raw;
}

Result<QVariantMap> SchemaForm::arguments(const QVariantMap &fixed)
{
    for (QLabel *label : std::as_const(m_labels))
        label->setStyleSheet({});
    m_error->hide();
    QVariantMap raw = values();
    for (auto it = fixed.cbegin(); it != fixed.cend(); ++it)
        raw.insert(it.key(), it.value());
    Result<QVariantMap> validated = m_schema.validate(raw);
    if (!validated)
        markError(validated.error().field, validated.error().text());
    return validated;
}

void SchemaForm::markError(const QString &field, const QString &message)
{
    m_error->setText(message);
    m_error->show();
    if (QLabel *label = m_labels.value(field))
        label->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    if (QWidget *editor = m_editors.value(field))
        editor->setFocus();
}

QWidget *SchemaForm::editor(const QString &name) const
{
    return m_editors.value(name);
}

void SchemaForm::setSuggestions(const QString &name, const QStringList &suggestions)
{
    auto *combo = qobject_cast<QComboBox *>(m_editors.value(name));
    const ArgumentSpec *spec = m_schema.find(name);
    if (!combo || !combo->isEditable() || !spec)
        return;
    const QString current = combo->currentText();
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItems(spec->choices);
    for (const QString &item : suggestions)
        if (combo->findText(item) < 0)
            combo->addItem(item);
    combo->setCurrentText(current);
}

QStringList SchemaForm::groupTitles() const
{
    return m_groupTitles;
}

}  // namespace dw
