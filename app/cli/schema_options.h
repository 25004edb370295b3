#pragma once
// Command-line flags generated from a task's ArgumentSchema, so that `deepwb train` offers
// exactly what the plugin declares: one --NAME per argument (its value name, help, choices,
// range and default in the --help text), booleans as a --NAME / --no-NAME pair, lists as a
// repeatable flag that also takes "a,b,c". Read back as raw strings for
// ArgumentSchema::validate(), which converts, range-checks and fills the defaults.
#include "core/task/argument_schema.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QStringList>
#include <QVariantMap>

namespace dw::cli {

class SchemaOptions {
public:
    // skip: arguments the command fills itself (a positional MODULE, the module folder).
    explicit SchemaOptions(ArgumentSchema schema, QStringList skip = {});

    // The options, ordered by group (the schema's group order), then by declaration.
    QList<QCommandLineOption> options() const;
    void addTo(QCommandLineParser &parser) const;

    // The values the user set on the command line, by argument name, as raw values
    // (QString, QStringList for lists, bool for flags); arguments not given are absent so
    // that the schema's defaults apply.
    QVariantMap values(const QCommandLineParser &parser) const;

    static QString valueName(const ArgumentSpec &spec);  // "N", "X", "DIR", "a|b|c", ...
    static QString helpText(const ArgumentSpec &spec);   // help + choices, range, default

    const ArgumentSchema &schema() const { return m_schema; }

private:
    QList<const ArgumentSpec *> ordered() const;
    bool skipped(const ArgumentSpec &spec) const { return m_skip.contains(spec.name); }

    ArgumentSchema m_schema;
    QStringList m_skip;
};

}  // namespace dw::cli
