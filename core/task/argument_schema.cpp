#include "core/task/argument_schema.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <limits>

namespace dw {

namespace {

using namespace Qt::StringLiterals;

struct TypeName {
    ArgType type;
    QLatin1StringView name;
};

constexpr TypeName kTypeNames[] = {
    {ArgType::String, "string"_L1}, {ArgType::Int, "int"_L1},           {ArgType::Float, "float"_L1},
    {ArgType::Bool, "bool"_L1},     {ArgType::Enum, "enum"_L1},         {ArgType::List, "list"_L1},
    {ArgType::FilePath, "file"_L1}, {ArgType::FolderPath, "folder"_L1},
};

// Numbers in messages as a person writes them: 4096, 0.001, 1e-06.
QString number(double value)
{
    return QString::number(value, 'g', 12);
}

// How a raw value looks in a message: strings quoted, lists summarised.
QString describe(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return u'\'' + value.toString() + u'\'';
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return u"a list"_s;
    case QMetaType::QVariantMap:
    case QMetaType::QJsonObject:
        return u"an object"_s;
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QMetaType::Double:
    case QMetaType::Float:
        return number(value.toDouble());
    default:
        return value.toString().isEmpty() ? QString::fromLatin1(value.typeName()) : value.toString();
    }
}

bool isText(const QVariant &v)
{
    return v.typeId() == QMetaType::QString || v.typeId() == QMetaType::QByteArray;
}
bool isNumber(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

// A value that says "not given": no value, JSON null, or an empty form field.
bool isAbsent(const QVariant &v)
{
    if (!v.isValid() || v.typeId() == QMetaType::Nullptr)
        return true;
    return isText(v) && v.toString().trimmed().isEmpty();
}

QString rangeText(const ArgumentSpec &spec)
{
    if (spec.minimum && spec.maximum)
        return u"between %1 and %2"_s.arg(number(*spec.minimum), number(*spec.maximum));
    if (spec.minimum)
        return u"at least %1"_s.arg(number(*spec.minimum));
    return u"at most %1"_s.arg(number(*spec.maximum));
}

bool outOfRange(const ArgumentSpec &spec, double value)
{
    return (spec.minimum && value < *spec.minimum) || (spec.maximum && value > *spec.maximum);
}

// Converts one scalar to `type`; the message of the error says why, without the field.
Result<QVariant> convertScalar(ArgType type, const QVariant &raw, const QStringList &choices)
{
    switch (type) {
    case ArgType::String:
    case ArgType::FilePath:
    case ArgType::FolderPath: {
        if (!isText(raw) && !isNumber(raw) && raw.typeId() != QMetaType::Bool)
            return failure(
                u"must be %1, got %2"_s.arg(type == ArgType::String ? u"text"_s : u"a path"_s, describe(raw)));
        QString text = raw.typeId() == QMetaType::Bool ? (raw.toBool() ? u"true"_s : u"false"_s) : raw.toString();
        if (type != ArgType::String) {
            text = text.trimmed();
            // Shells expand "~" but forms, JSON and REST calls do not; treat them alike.
            if (text == u"~"_s || text.startsWith(u"~/"_s))
                text = QDir::homePath() + text.mid(1);
        }
        return QVariant(text);
    }
    case ArgType::Int: {
        qint64 value = 0;
        if (isText(raw)) {
            bool ok = false;
            const QString text = raw.toString().trimmed();
            value = text.toLongLong(&ok);
            if (!ok) {
                // "1e3" and "3.0" are whole numbers written another way.
                const double d = text.toDouble(&ok);
                if (!ok || !std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
                    return failure(u"must be a whole number, got %1"_s.arg(describe(raw)));
                value = static_cast<qint64>(d);
            }
        } else if (isNumber(raw)) {
            const double d = raw.toDouble();
            if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
                return failure(u"must be a whole number, got %1"_s.arg(describe(raw)));
            value = raw.typeId() == QMetaType::Double || raw.typeId() == QMetaType::Float ? static_cast<qint64>(d)
                                                                                          : raw.toLongLong();
        } else {
            return failure(u"must be a whole number, got %1"_s.arg(describe(raw)));
        }
        if (value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max())
            return QVariant(static_cast<int>(value));
        return QVariant(static_cast<qlonglong>(value));
    }
    case ArgType::Float: {
        bool ok = isNumber(raw);
        double value = ok ? raw.toDouble() : 0.0;
        if (isText(raw))
            value = raw.toString().trimmed().toDouble(&ok);
        if (!ok)
            return failure(u"must be a number, got %1"_s.arg(describe(raw)));
        if (!std::isfinite(value))
            return failure(u"must be a finite number, got %1"_s.arg(describe(raw)));
        return QVariant(value);
    }
    case ArgType::Bool: {
        if (raw.typeId() == QMetaType::Bool)
            return QVariant(raw.toBool());
        if (isNumber(raw) && (raw.toDouble() == 0.0 || raw.toDouble() == 1.0))
            return QVariant(raw.toDouble() == 1.0);
        if (isText(raw)) {
            const QString text = raw.toString().trimmed().toLower();
            static const QStringList yes{u"true"_s, u"yes"_s, u"1"_s, u"on"_s, u"y"_s};
            static const QStringList no{u"false"_s, u"no"_s, u"0"_s, u"off"_s, u"n"_s};
            if (yes.contains(text))
                return QVariant(true);
            if (no.contains(text))
                return QVariant(false);
        }
        return failure(u"must be true or false (also yes/no, 1/0), got %1"_s.arg(describe(raw)));
    }
    case ArgType::Enum: {
        const QString text = isText(raw) || isNumber(raw) ? raw.toString().trimmed() : QString();
        if (choices.contains(text))
            return QVariant(text);
        // Case is a slip of the keyboard, not a different choice: return the declared spelling.
        for (const QString &choice : choices) {
            if (choice.compare(text, Qt::CaseInsensitive) == 0)
                return QVariant(choice);
        }
        return failure(u"must be one of %1, got %2"_s.arg(choices.join(u", "_s), describe(raw)));
    }
    case ArgType::List:
        break;
    }
    return failure(u"lists of lists are not supported"_s);
}

// The items of a raw list: a list value, a JSON array written as text, or "a, b, c".
Result<QVariantList> splitList(const QVariant &raw)
{
    if (raw.typeId() == QMetaType::QStringList) {
        QVariantList items;
        for (const QString &s : raw.toStringList())
            items << s;
        return items;
    }
    if (raw.typeId() == QMetaType::QJsonArray)
        return raw.toJsonArray().toVariantList();
    if (raw.typeId() == QMetaType::QVariantList)
        return raw.toList();
    if (isText(raw)) {
        const QString text = raw.toString().trimmed();
        if (text.startsWith(u'[')) {
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
            if (error.error != QJsonParseError::NoError || !doc.isArray())
                return failure(u"looks like a JSON array but is not valid JSON (%1)"_s.arg(error.errorString()));
            return doc.array().toVariantList();
        }
        QVariantList items;
        if (text.isEmpty())
            return items;
        for (const QString &part : text.split(u','))
            items << part.trimmed();
        return items;
    }
    if (isNumber(raw) || raw.typeId() == QMetaType::Bool)
        return QVariantList{raw};  // one item, as a command line with no comma gives
    return failure(u"must be a list, got %1"_s.arg(describe(raw)));
}

// Converts a present value to the spec's type and checks range and choices.
Result<QVariant> convertValue(const ArgumentSpec &spec, const QVariant &raw)
{
    if (spec.type == ArgType::List) {
        Result<QVariantList> items = splitList(raw);
        if (!items)
            return Error::at(spec.name, items.error().message);
        QVariantList converted;
        for (qsizetype i = 0; i < items->size(); ++i) {
            Result<QVariant> item = convertScalar(spec.itemType, items->at(i), spec.choices);
            if (!item)
                return Error::at(spec.name, u"item %1: %2"_s.arg(i + 1).arg(item.error().message));
            converted << *item;
        }
        if (outOfRange(spec, double(converted.size())))
            return Error::at(spec.name, u"must have %1 items, got %2"_s.arg(rangeText(spec)).arg(converted.size()));
        return QVariant(converted);
    }
    Result<QVariant> value = convertScalar(spec.type, raw, spec.choices);
    if (!value)
        return Error::at(spec.name, value.error().message);
    if ((spec.type == ArgType::Int || spec.type == ArgType::Float) && outOfRange(spec, value->toDouble()))
        return Error::at(spec.name, u"must be %1, got %2"_s.arg(rangeText(spec), number(value->toDouble())));
    return value;
}

const QRegularExpression &namePattern()
{
    static const QRegularExpression pattern(u"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$"_s);
    return pattern;
}

QJsonValue toJsonValue(const QVariant &value)
{
    return QJsonValue::fromVariant(value);
}

}  // namespace

QString argTypeName(ArgType type)
{
    for (const TypeName &entry : kTypeNames) {
        if (entry.type == type)
            return QString(entry.name);
    }
    return u"string"_s;
}

std::optional<ArgType> argTypeFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const TypeName &entry : kTypeNames) {
        if (entry.name == key)
            return entry.type;
    }
    // Spellings other schema languages (JSON Schema, argparse, OpenAPI) use.
    static const QHash<QString, ArgType> aliases{
        {u"str"_s, ArgType::String},           {u"text"_s, ArgType::String},    {u"integer"_s, ArgType::Int},
        {u"number"_s, ArgType::Float},         {u"double"_s, ArgType::Float},   {u"boolean"_s, ArgType::Bool},
        {u"choice"_s, ArgType::Enum},          {u"array"_s, ArgType::List},     {u"file-path"_s, ArgType::FilePath},
        {u"filepath"_s, ArgType::FilePath},    {u"path"_s, ArgType::FilePath},  {u"folder-path"_s, ArgType::FolderPath},
        {u"directory"_s, ArgType::FolderPath}, {u"dir"_s, ArgType::FolderPath},
    };
    const auto it = aliases.constFind(key);
    if (it != aliases.constEnd())
        return *it;
    return std::nullopt;
}

QJsonObject ArgumentSpec::toJson() const
{
    QJsonObject json{{u"name"_s, name}, {u"type"_s, argTypeName(type)}, {u"required"_s, required}};
    if (defaultValue.isValid())
        json.insert(u"default"_s, toJsonValue(defaultValue));
    if (minimum)
        json.insert(u"minimum"_s, *minimum);
    if (maximum)
        json.insert(u"maximum"_s, *maximum);
    if (!choices.isEmpty())
        json.insert(u"choices"_s, QJsonArray::fromStringList(choices));
    if (type == ArgType::List)
        json.insert(u"item_type"_s, argTypeName(itemType));
    if (!help.isEmpty())
        json.insert(u"help"_s, help);
    if (!group.isEmpty())
        json.insert(u"group"_s, group);
    if (!label.isEmpty())
        json.insert(u"label"_s, label);
    if (readsFile)
        json.insert(u"reads_file"_s, true);
    return json;
}

Result<ArgumentSpec> ArgumentSpec::fromJson(const QJsonObject &json)
{
    ArgumentSpec spec;
    spec.name = json.value(u"name"_s).toString();
    if (!namePattern().match(spec.name).hasMatch())
        return Error::at(u"name"_s, u"must be a lower-case identifier such as 'batch-size', got '%1'"_s.arg(spec.name));
    const QString typeName = json.value(u"type"_s).toString(u"string"_s);
    const std::optional<ArgType> type = argTypeFromName(typeName);
    if (!type)
        return Error::at(
            spec.name,
            u"unknown type '%1'; known types: string, int, float, bool, enum, list, file, folder"_s.arg(typeName));
    spec.type = *type;
    if (json.contains(u"item_type"_s)) {
        const QString itemName = json.value(u"item_type"_s).toString();
        const std::optional<ArgType> itemType = argTypeFromName(itemName);
        if (!itemType || *itemType == ArgType::List)
            return Error::at(spec.name, u"unknown list item type '%1'"_s.arg(itemName));
        spec.itemType = *itemType;
    }
    for (const char *key : {"minimum", "maximum"}) {
        const QJsonValue bound = json.value(QLatin1StringView(key));
        if (bound.isUndefined() || bound.isNull())
            continue;
        if (!bound.isDouble())
            return Error::at(spec.name, u"%1 must be a number"_s.arg(QLatin1StringView(key)));
        (qstrcmp(key, "minimum") == 0 ? spec.minimum : spec.maximum) = bound.toDouble();
    }
    if (spec.minimum && spec.maximum && *spec.minimum > *spec.maximum)
        return Error::at(spec.name,
                         u"minimum %1 is above maximum %2"_s.arg(number(*spec.minimum), number(*spec.maximum)));
    for (const QJsonValue &choice : json.value(u"choices"_s).toArray())
        spec.choices << choice.toVariant().toString();
    const bool needsChoices =
        spec.type == ArgType::Enum || (spec.type == ArgType::List && spec.itemType == ArgType::Enum);
    if (needsChoices && spec.choices.isEmpty())
        return Error::at(spec.name, u"an enum needs a non-empty list of choices"_s);
    spec.required = json.value(u"required"_s).toBool(false);
    spec.help = json.value(u"help"_s).toString();
    spec.group = json.value(u"group"_s).toString();
    spec.label = json.value(u"label"_s).toString();
    spec.readsFile = spec.type == ArgType::FilePath && json.value(u"reads_file"_s).toBool(false);
    const QJsonValue def = json.value(u"default"_s);
    if (!def.isUndefined() && !def.isNull()) {
        // The default goes through the same conversion as a user's value, so that it
        // comes back with its declared type (a JSON 3 is a double, the spec says int).
        Result<QVariant> value = convertValue(spec, def.toVariant());
        if (!value)
            return Error::at(spec.name, u"invalid default: %1"_s.arg(value.error().message));
        spec.defaultValue = *value;
    }
    return spec;
}

ArgumentSchema &ArgumentSchema::add(ArgumentSpec spec)
{
    for (ArgumentSpec &existing : m_specs) {
        if (existing.name == spec.name) {
            existing = std::move(spec);  // a later declaration refines an earlier one
            return *this;
        }
    }
    m_specs.append(std::move(spec));
    return *this;
}

const ArgumentSpec *ArgumentSchema::find(const QString &name) const
{
    for (const ArgumentSpec &spec : m_specs) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

QStringList ArgumentSchema::groups() const
{
    QStringList result;
    for (const ArgumentSpec &spec : m_specs) {
        if (!result.contains(spec.group))
            result << spec.group;
    }
    return result;
}

Result<QVariantMap> ArgumentSchema::validate(const QVariantMap &raw) const
{
    QStringList known;
    for (const ArgumentSpec &spec : m_specs)
        known << spec.name;
    for (auto it = raw.constBegin(); it != raw.constEnd(); ++it) {
        if (!find(it.key())) {
            return Error::at(it.key(), known.isEmpty()
                                           ? u"unknown argument; this task takes no arguments"_s
                                           : u"unknown argument; known arguments: %1"_s.arg(known.join(u", "_s)));
        }
    }

    QVariantMap values;
    for (const ArgumentSpec &spec : m_specs) {
        const QVariant rawValue = raw.value(spec.name);
        if (isAbsent(rawValue)) {
            if (spec.defaultValue.isValid()) {
                values.insert(spec.name, spec.defaultValue);
            } else if (spec.required) {
                return Error::at(spec.name, spec.help.isEmpty()
                                                ? u"is required but was not given"_s
                                                : u"is required but was not given (%1)"_s.arg(spec.help));
            }
            continue;
        }
        Result<QVariant> value = convertValue(spec, rawValue);
        if (!value)
            return value.error();
        values.insert(spec.name, *value);
    }
    return values;
}

QVariantMap ArgumentSchema::defaults() const
{
    QVariantMap values;
    for (const ArgumentSpec &spec : m_specs) {
        if (spec.defaultValue.isValid())
            values.insert(spec.name, spec.defaultValue);
    }
    return values;
}

QJsonObject ArgumentSchema::toJson() const
{
    QJsonArray list;
    for (const ArgumentSpec &spec : m_specs)
        list.append(spec.toJson());
    return QJsonObject{{u"arguments"_s, list}};
}

Result<ArgumentSchema> ArgumentSchema::fromJson(const QJsonObject &json)
{
    const QJsonValue arguments = json.value(u"arguments"_s);
    if (!arguments.isArray() && !arguments.isUndefined())
        return Error::at(u"arguments"_s, u"must be a list of argument objects"_s);
    ArgumentSchema schema;
    QSet<QString> seen;
    const QJsonArray list = arguments.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isObject())
            return Error::at(u"arguments[%1]"_s.arg(i), u"must be an object"_s);
        Result<ArgumentSpec> spec = ArgumentSpec::fromJson(list.at(i).toObject());
        if (!spec)
            return Error::at(u"arguments[%1].%2"_s.arg(i).arg(spec.error().field), spec.error().message);
        if (seen.contains(spec->name))
            return Error::at(u"arguments[%1].%2"_s.arg(i).arg(spec->name), u"is declared twice"_s);
        seen.insert(spec->name);
        schema.m_specs.append(std::move(spec).value());
    }
    return schema;
}

}  // namespace dw
