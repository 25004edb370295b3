#pragma once
// Short-hands with which task plugins declare their argument schemas.
#include "core/task/argument_schema.h"

#include <optional>

namespace dw::args {

// One argument; minimum/maximum stay unset when not given.
inline ArgumentSpec spec(const QString &name, ArgType type, const QVariant &def, const QString &group,
                         const QString &help, std::optional<double> minimum = std::nullopt,
                         std::optional<double> maximum = std::nullopt)
{
    ArgumentSpec s;
    s.name = name;
    s.type = type;
    s.defaultValue = def;
    s.group = group;
    s.help = help;
    s.minimum = minimum;
    s.maximum = maximum;
    return s;
}

inline ArgumentSpec choice(const QString &name, const QString &def, const QStringList &choices, const QString &group,
                           const QString &help)
{
    ArgumentSpec s = spec(name, ArgType::Enum, def, group, help);
    s.choices = choices;
    return s;
}

// A list of strings ("a,b" or repeated flags).
inline ArgumentSpec list(const QString &name, const QString &group, const QString &help)
{
    ArgumentSpec s = spec(name, ArgType::List, {}, group, help);
    s.itemType = ArgType::String;
    return s;
}

inline ArgumentSpec required(ArgumentSpec s)
{
    s.required = true;
    return s;
}

// The new module's id, title and folder (group "Module"), which a call that adds a module to
// the catalog ends with; the CLI and the workbench fill "output" from the name.
inline void addNewModule(ArgumentSchema &s)
{
    const QString group = QStringLiteral("Module");
    s.add(required(
        spec(QStringLiteral("name"), ArgType::String, {}, group,
             QStringLiteral("Id of the new module in the catalog (lower-case letters, digits, '.', '_', '-')."))));
    s.add(spec(QStringLiteral("title"), ArgType::String, {}, group,
               QStringLiteral("A human title for the catalog; the id when left out.")));
    s.add(spec(
        QStringLiteral("output"), ArgType::FolderPath, {}, group,
        QStringLiteral("The module folder to write (the catalog's folder of --name when left out by the workbench).")));
}

}  // namespace dw::args
