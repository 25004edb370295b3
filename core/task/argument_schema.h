#pragma once
// Typed argument schemas: what a task's train and predict calls take. GUI forms, CLI
// flags, REST parameters and the OpenAPI document are all generated from these.
#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <optional>

namespace dw {

enum class ArgType { String, Int, Float, Bool, Enum, List, FilePath, FolderPath };

QString argTypeName(ArgType type);  // "string", "int", ...
std::optional<ArgType> argTypeFromName(const QString &name);

struct ArgumentSpec {
    QString name;  // identifier: lower-case, '-' or '_' separated ("batch-size")
    ArgType type = ArgType::String;
    QVariant defaultValue;          // invalid QVariant: no default
    std::optional<double> minimum;  // Int/Float (and List item count)
    std::optional<double> maximum;
    QStringList choices;                 // Enum: the allowed values
    ArgType itemType = ArgType::String;  // List: the type of each item
    bool required = false;
    QString help;   // one sentence, shown as tooltip and --help text
    QString group;  // form section ("Data", "Model", "Optimiser", ...)
    QString label;  // how a form names it ("Start from"); empty: from the name
    // FilePath: a file the task only reads, besides its main inputs (a guide raster): a REST
    // client may upload it. Other paths are where a task writes, which a client never picks.
    bool readsFile = false;

    QJsonObject toJson() const;
    static Result<ArgumentSpec> fromJson(const QJsonObject &json);
};

class ArgumentSchema {
public:
    ArgumentSchema() = default;
    explicit ArgumentSchema(QList<ArgumentSpec> specs) : m_specs(std::move(specs)) {}

    ArgumentSchema &add(ArgumentSpec spec);
    const QList<ArgumentSpec> &specs() const { return m_specs; }
    const ArgumentSpec *find(const QString &name) const;
    QStringList groups() const;  // in order of first appearance
    bool isEmpty() const { return m_specs.isEmpty(); }

    // Checks and converts raw values (strings from a command line or a form, or JSON
    // values) to their types, fills defaults, and rejects unknown names, missing required
    // arguments, out-of-range numbers and values outside an enum. The Error names the field.
    Result<QVariantMap> validate(const QVariantMap &raw) const;
    QVariantMap defaults() const;

    QJsonObject toJson() const;  // {"arguments": [spec...]}
    static Result<ArgumentSchema> fromJson(const QJsonObject &json);

private:
    QList<ArgumentSpec> m_specs;
};

}  // namespace dw
