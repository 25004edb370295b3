#include "core/task/argument_flags.h"

#include <QLocale>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

QString scalarText(ArgType type, const QVariant &value)
{
    switch (type) {
    case ArgType::Int:
        return QString::number(value.toLongLong());
    case ArgType::Float:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case ArgType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case ArgType::String:
    case ArgType::Enum:
    case ArgType::List:
    case ArgType::FilePath:
    case ArgType::FolderPath:
        break;
    }
    return value.toString();
}

// The words of one argument's value, or an error (a list item the command line would split).
Result<QStringList> valueWords(const ArgumentSpec &spec, const QVariant &value)
{
    if (spec.type == ArgType::Bool)
        return QStringList{(value.toBool() ? u"--"_s : u"--no-"_s) + spec.name};
    const QString flag = u"--"_s + spec.name;
    // "--roi=-5,..." rather than "--roi -5,...": a value that starts with '-' is not taken for a flag.
    const auto option = [&flag](const QString &text) {
        return text.startsWith(u'-') ? QStringList{flag + u'=' + text} : QStringList{flag, text};
    };
    if (spec.type != ArgType::List)
        return option(scalarText(spec.type, value));
    QStringList words;
    for (const QVariant &item : value.toList()) {
        const QString text = scalarText(spec.itemType, item);
        if (text.contains(u','))
            return Error::at(spec.name, u"'%1' holds a comma, which the command line reads as two items: rename "
                                        "it (or the folder it is in) without the comma"_s.arg(text));
        words += option(text);
    }
    return words;
}

}  // namespace

Result<QStringList> argumentFlags(const ArgumentSchema &schema, const QVariantMap &values, const QStringList &skip)
{
    QVariantMap given = values;
    for (const QString &name : skip)
        given.remove(name);
    // Checked and converted as the command will be; what was not given keeps its default there too.
    Result<QVariantMap> typed = schema.validate(given);
    if (!typed)
        return typed.error();
    QStringList flags;
    for (const ArgumentSpec &spec : schema.specs()) {
        if (!given.contains(spec.name) || !typed->contains(spec.name))
            continue;
        Result<QStringList> words = valueWords(spec, typed->value(spec.name));
        if (!words)
            return words.error();
        if (spec.defaultValue.isValid()) {
            const Result<QStringList> defaultWords = valueWords(spec, spec.defaultValue);
            if (defaultWords && *defaultWords == *words)
                continue;
        }
        flags += *words;
    }
    return flags;
}

}  // namespace dw
