#include "schema_options.h"

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 12);
}

constexpr qsizetype kMaxInlineChoices = 24;

bool enumListed(const ArgumentSpec &spec)
{
    return spec.choices.join(u'|').size() <= kMaxInlineChoices;
}

QString defaultText(const ArgumentSpec &spec)
{
    const QVariant &value = spec.defaultValue;
    if (!value.isValid())
        return {};
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"on"_s : u"off"_s;
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float)
        return number(value.toDouble());
    if (value.typeId() == QMetaType::QVariantList || value.typeId() == QMetaType::QStringList)
        return value.toStringList().join(u',');
    return value.toString();
}

}  // namespace

SchemaOptions::SchemaOptions(ArgumentSchema schema, QStringList skip)
    : m_schema(std::move(schema)), m_skip(std::move(skip))
{}

QList<const ArgumentSpec *> SchemaOptions::ordered() const
{
    QList<const ArgumentSpec *> result;
    for (const QString &group : m_schema.groups()) {
        for (const ArgumentSpec &spec : m_schema.specs()) {
            if (spec.group == group && !skipped(spec))
                result << &spec;
        }
    }
    return result;
}

QString SchemaOptions::valueName(const ArgumentSpec &spec)
{
    switch (spec.type) {
    case ArgType::Int:
        return u"N"_s;
    case ArgType::Float:
        return u"X"_s;
    case ArgType::Enum:
        // A long list would push every help text far right; the help names the choices then.
        return enumListed(spec) ? spec.choices.join(u'|') : spec.name.toUpper();
    case ArgType::FilePath:
        return u"FILE"_s;
    case ArgType::FolderPath:
        return u"DIR"_s;
    case ArgType::List:
        return spec.itemType == ArgType::Enum ? spec.choices.join(u'|') + u",..."_s : u"ITEM,..."_s;
    case ArgType::String:
    case ArgType::Bool:
        break;
    }
    return u"TEXT"_s;
}

QString SchemaOptions::helpText(const ArgumentSpec &spec)
{
    QString text = spec.help.isEmpty() ? u"The task's '%1' argument."_s.arg(spec.name) : spec.help;
    QStringList details;
    if (spec.type == ArgType::Enum && !enumListed(spec))
        details << u"one of %1"_s.arg(spec.choices.join(u", "_s));
    if (spec.required)
        details << u"required"_s;
    if (spec.minimum && spec.maximum)
        details << u"%1 to %2"_s.arg(number(*spec.minimum), number(*spec.maximum));
    else if (spec.minimum)
        details << u"at least %1"_s.arg(number(*spec.minimum));
    else if (spec.maximum)
        details << u"at most %1"_s.arg(number(*spec.maximum));
    if (spec.type == ArgType::List)
        details << u"repeatable"_s;
    const QString def = defaultText(spec);
    if (!def.isEmpty())
        details << u"default: %1"_s.arg(def);
    if (spec.type == ArgType::Bool)
        details << u"--no-%1 to turn off"_s.arg(spec.name);
    if (!details.isEmpty())
        text += u" [%1]"_s.arg(details.join(u"; "_s));
    return text;
}

QList<QCommandLineOption> SchemaOptions::options() const
{
    QList<QCommandLineOption> result;
    for (const ArgumentSpec *spec : ordered()) {
        if (spec->type == ArgType::Bool) {
            result << QCommandLineOption(spec->name, helpText(*spec));
            QCommandLineOption off(u"no-"_s + spec->name, u"Turn '%1' off."_s.arg(spec->name));
            off.setFlags(QCommandLineOption::HiddenFromHelp);
            result << off;
        } else if (spec->name == u"output"_s) {
            // -o FILE, as with compilers and GDAL's tools (a raster predict's output).
            result << QCommandLineOption(QStringList{u"o"_s, spec->name}, helpText(*spec), valueName(*spec));
        } else {
            result << QCommandLineOption(spec->name, helpText(*spec), valueName(*spec));
        }
    }
    return result;
}

void SchemaOptions::addTo(QCommandLineParser &parser) const
{
    for (const QCommandLineOption &option : options())
        parser.addOption(option);
}

QVariantMap SchemaOptions::values(const QCommandLineParser &parser) const
{
    QVariantMap raw;
    for (const ArgumentSpec *spec : ordered()) {
        if (spec->type == ArgType::Bool) {
            // The later of --x and --no-x wins, as with GNU tools; QCommandLineParser keeps
            // the order of the names it saw.
            const QStringList seen = parser.optionNames();
            const qsizetype on = seen.lastIndexOf(spec->name);
            const qsizetype off = seen.lastIndexOf(u"no-"_s + spec->name);
            if (on >= 0 || off >= 0)
                raw.insert(spec->name, on > off);
        } else if (spec->type == ArgType::List) {
            if (!parser.isSet(spec->name))
                continue;
            QStringList items;
            for (const QString &value : parser.values(spec->name)) {
                // "--inputs a.png,b.png" and "--inputs a.png --inputs b.png" alike.
                for (const QString &part : value.split(u',', Qt::SkipEmptyParts))
                    items << part.trimmed();
            }
            raw.insert(spec->name, items);
        } else if (parser.isSet(spec->name)) {
            raw.insert(spec->name, parser.value(spec->name));
        }
    }
    return raw;
}

}  // namespace dw::cli
