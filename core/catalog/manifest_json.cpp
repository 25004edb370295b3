// module.json <-> ModuleManifest. Reading is tolerant on purpose: a manifest edited by hand
// with one wrong-typed field should still show up in the catalog with everything else
// intact, and with one precise complaint about that field.
#include "core/catalog/manifest_io.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QSet>

namespace dw {
namespace {

namespace key {
const QString id = QStringLiteral("id");
const QString version = QStringLiteral("version");
const QString title = QStringLiteral("title");
const QString summary = QStringLiteral("summary");
const QString description = QStringLiteral("description");
const QString keywords = QStringLiteral("keywords");
const QString license = QStringLiteral("license");
const QString dateCreation = QStringLiteral("date_creation");
const QString authors = QStringLiteral("authors");
const QString sources = QStringLiteral("sources");
const QString datasetUrl = QStringLiteral("dataset_url");
const QString citeUrl = QStringLiteral("cite_url");
const QString task = QStringLiteral("task");
const QString architecture = QStringLiteral("architecture");
const QString hyperParameters = QStringLiteral("hyper-parameters");
const QString inputs = QStringLiteral("inputs");
const QString labels = QStringLiteral("labels");
const QString metrics = QStringLiteral("metrics");
const QString parent = QStringLiteral("parent");
const QString trainingData = QStringLiteral("training_data");
const QString weights = QStringLiteral("weights");
const QString createdWith = QStringLiteral("created_with");
const QString file = QStringLiteral("file");
const QString format = QStringLiteral("format");
const QString sha256 = QStringLiteral("sha256");
}  // namespace key

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return QStringLiteral("a text");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::Bool:
        return QStringLiteral("true/false");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// Reads the fields of one JSON object, remembering which keys it consumed (the rest are
// kept as extra) and what was wrong with the ones it could not take.
class FieldReader {
public:
    FieldReader(const QJsonObject &json, QString prefix, QList<ValidationProblem> *problems)
        : m_json(json), m_prefix(std::move(prefix)), m_problems(problems)
    {}

    void string(const QString &key, QString &out)
    {
        const QJsonValue v = take(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (v.isString()) {
            out = v.toString();
            return;
        }
        // A number where a text is expected (a version 2 or a year) is still meaningful.
        if (v.isDouble())
            out = QString::number(v.toDouble());
        problem(key, QStringLiteral("expected a text in quotes, found %1; write it as \"...\"").arg(typeName(v)));
    }

    void stringList(const QString &key, QStringList &out)
    {
        const QJsonValue v = take(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (v.isString()) {
            // "a, b" instead of ["a", "b"]: take the parts, but say how to write it.
            for (const QString &part : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                out << part.trimmed();
            problem(key, QStringLiteral("expected a list of texts such as [\"a\", \"b\"], found a single text"));
            return;
        }
        if (v.isObject()) {
            // DEEP metadata.json writes sources as an object; its values are still usable.
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                if (it->isString() && !it->toString().isEmpty())
                    out << it->toString();
            problem(key, QStringLiteral("expected a list of texts such as [\"a\", \"b\"], found an object"));
            return;
        }
        if (!v.isArray()) {
            problem(key, QStringLiteral("expected a list of texts such as [\"a\", \"b\"], found %1").arg(typeName(v)));
            return;
        }
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (array.at(i).isString()) {
                out << array.at(i).toString();
                continue;
            }
            problem(QStringLiteral("%1[%2]").arg(key).arg(i),
                    QStringLiteral("expected a text in quotes, found %1; every entry of %2 must be a text")
                        .arg(typeName(array.at(i)), key));
        }
    }

    void object(const QString &key, QJsonObject &out)
    {
        const QJsonValue v = take(key);
        if (v.isUndefined() || v.isNull())
            return;
        if (v.isObject()) {
            out = v.toObject();
            return;
        }
        problem(key, QStringLiteral("expected an object such as {\"name\": value}, found %1").arg(typeName(v)));
    }

    // The value of key, or Undefined; the key no longer counts as unknown.
    QJsonValue take(const QString &key)
    {
        m_consumed.insert(key);
        return m_json.value(key);
    }

    QJsonObject unconsumed() const
    {
        QJsonObject rest;
        for (auto it = m_json.begin(); it != m_json.end(); ++it)
            if (!m_consumed.contains(it.key()))
                rest.insert(it.key(), it.value());
        return rest;
    }

    void problem(const QString &field, const QString &message)
    {
        if (m_problems)
            m_problems->append({m_prefix + field, message});
    }

private:
    const QJsonObject &m_json;
    QString m_prefix;
    QList<ValidationProblem> *m_problems;
    QSet<QString> m_consumed;
};

WeightsInfo weightsFromJson(const QJsonValue &value, QList<ValidationProblem> *problems)
{
    WeightsInfo weights;
    if (value.isUndefined() || value.isNull())
        return weights;
    if (!value.isObject()) {
        if (problems)
            problems->append(
                {key::weights,
                 QStringLiteral("expected an object {\"file\": ..., \"format\": ..., \"sha256\": ...}, found %1")
                     .arg(typeName(value))});
        return weights;
    }
    const QJsonObject json = value.toObject();
    FieldReader read(json, key::weights + QLatin1Char('.'), problems);
    read.string(key::file, weights.file);
    read.string(key::format, weights.format);
    read.string(key::sha256, weights.sha256);
    weights.extra = read.unconsumed();
    return weights;
}

}  // namespace

QJsonObject manifestToJson(const ModuleManifest &m)
{
    // Unknown keys first, so that a known key always wins over a stale copy in extra.
    QJsonObject json = m.extra;
    json.insert(key::id, m.id);
    json.insert(key::version, m.version);
    json.insert(key::title, m.title);
    json.insert(key::summary, m.summary);
    json.insert(key::description, m.description);
    json.insert(key::keywords, QJsonArray::fromStringList(m.keywords));
    json.insert(key::license, m.license);
    json.insert(key::dateCreation, m.dateCreation);
    json.insert(key::authors, QJsonArray::fromStringList(m.authors));
    json.insert(key::sources, QJsonArray::fromStringList(m.sources));
    json.insert(key::datasetUrl, m.datasetUrl);
    json.insert(key::citeUrl, m.citeUrl);
    json.insert(key::task, m.task);
    json.insert(key::architecture, m.architecture);
    json.insert(key::hyperParameters, m.hyperParameters);
    json.insert(key::inputs, m.inputs);
    json.insert(key::labels, QJsonArray::fromStringList(m.labels));
    json.insert(key::metrics, m.metrics);
    json.insert(key::createdWith, m.createdWith);
    // Optional parts are left out when empty so that a template's manifest stays short.
    if (!m.parent.isEmpty())
        json.insert(key::parent, m.parent);
    if (!m.trainingData.isEmpty())
        json.insert(key::trainingData, m.trainingData);
    if (!m.weights.isEmpty() || !m.weights.extra.isEmpty()) {
        QJsonObject weights = m.weights.extra;
        weights.insert(key::file, m.weights.file);
        weights.insert(key::format, m.weights.format);
        weights.insert(key::sha256, m.weights.sha256);
        json.insert(key::weights, weights);
    }
    return json;
}

ModuleManifest manifestFromJson(const QJsonObject &json, QList<ValidationProblem> *problems)
{
    ModuleManifest m;
    // The struct's default version is for new modules; a file without one must be reported.
    m.version.clear();
    FieldReader read(json, QString(), problems);
    read.string(key::id, m.id);
    read.string(key::version, m.version);
    read.string(key::title, m.title);
    read.string(key::summary, m.summary);
    read.string(key::description, m.description);
    read.stringList(key::keywords, m.keywords);
    read.string(key::license, m.license);
    read.string(key::dateCreation, m.dateCreation);
    read.stringList(key::authors, m.authors);
    read.stringList(key::sources, m.sources);
    read.string(key::datasetUrl, m.datasetUrl);
    read.string(key::citeUrl, m.citeUrl);
    read.string(key::task, m.task);
    read.string(key::architecture, m.architecture);
    read.object(key::hyperParameters, m.hyperParameters);
    read.object(key::inputs, m.inputs);
    read.stringList(key::labels, m.labels);
    read.object(key::metrics, m.metrics);
    read.string(key::parent, m.parent);
    read.object(key::trainingData, m.trainingData);
    m.weights = weightsFromJson(read.take(key::weights), problems);
    read.string(key::createdWith, m.createdWith);
    m.extra = read.unconsumed();
    return m;
}

}  // namespace dw
