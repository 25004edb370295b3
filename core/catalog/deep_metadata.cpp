#include "core/catalog/deep_metadata.h"

#include "core/catalog/manifest_io.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace dw {
namespace {

const QString kFile = QStringLiteral("metadata.json");

// The keys of a metadata.json, looked up case-insensitively ("Title", "DATE_CREATION"):
// the DEEP files were hand-written by many groups and their spelling drifted.
class DeepFields {
public:
    DeepFields(const QJsonObject &json, QList<ValidationProblem> *warnings) : m_json(json), m_warnings(warnings)
    {
        for (auto it = json.begin(); it != json.end(); ++it)
            if (!m_keys.contains(it.key().toLower()))
                m_keys.insert(it.key().toLower(), it.key());
    }

    // The value of the first alias present; the key is then no longer "unknown".
    QJsonValue take(std::initializer_list<const char *> aliases)
    {
        for (const char *alias : aliases) {
            const auto it = m_keys.constFind(QString::fromLatin1(alias));
            if (it == m_keys.cend())
                continue;
            m_consumed.insert(*it);
            return m_json.value(*it);
        }
        return {};
    }

    QString string(std::initializer_list<const char *> aliases)
    {
        const QJsonValue v = take(aliases);
        if (v.isString())
            return v.toString().trimmed();
        if (v.isDouble())
            return QString::number(v.toDouble());
        if (!v.isUndefined() && !v.isNull())
            warn(QString::fromLatin1(*aliases.begin()), QStringLiteral("expected a text; the value was skipped"));
        return {};
    }

    // A list of texts, a single text, or "a, b, c".
    QStringList strings(std::initializer_list<const char *> aliases)
    {
        const QString field = QString::fromLatin1(*aliases.begin());
        const QJsonValue v = take(aliases);
        QStringList out;
        if (v.isString()) {
            for (const QString &part : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                out << part.trimmed();
        } else if (v.isArray()) {
            const QJsonArray array = v.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                if (array.at(i).isString() && !array.at(i).toString().trimmed().isEmpty())
                    out << array.at(i).toString().trimmed();
                else if (!array.at(i).isString())
                    warn(QStringLiteral("%1[%2]").arg(field).arg(i), QStringLiteral("not a text; skipped"));
            }
        } else if (!v.isUndefined() && !v.isNull()) {
            warn(field, QStringLiteral("expected a list of texts; the value was skipped"));
        }
        return out;
    }

    QJsonValue peek(const char *key) const
    {
        const auto it = m_keys.constFind(QString::fromLatin1(key));
        return it == m_keys.cend() ? QJsonValue(QJsonValue::Undefined) : m_json.value(*it);
    }

    // A wrong-typed value is left unconsumed, so that it is kept in extra as it was.
    QJsonObject object(std::initializer_list<const char *> aliases)
    {
        for (const char *alias : aliases) {
            const auto it = m_keys.constFind(QString::fromLatin1(alias));
            if (it == m_keys.cend())
                continue;
            const QJsonValue v = m_json.value(*it);
            if (v.isObject()) {
                m_consumed.insert(*it);
                return v.toObject();
            }
            warn(*it, QStringLiteral("expected an object; kept unchanged among the module's other fields"));
            return {};
        }
        return {};
    }

    QJsonObject unknown() const
    {
        QJsonObject rest;
        for (auto it = m_json.begin(); it != m_json.end(); ++it)
            if (!m_consumed.contains(it.key()))
                rest.insert(it.key(), it.value());
        return rest;
    }

    void warn(const QString &field, const QString &message)
    {
        if (m_warnings)
            m_warnings->append({field, message});
    }

private:
    const QJsonObject &m_json;
    QList<ValidationProblem> *m_warnings;
    QHash<QString, QString> m_keys;  // lower-case key -> key as written
    QSet<QString> m_consumed;
};

// Nested objects ("sources", "links", "dates") get the same case-insensitive lookup.
QString nestedString(const QJsonObject &object, std::initializer_list<const char *> aliases)
{
    for (const char *alias : aliases)
        for (auto it = object.begin(); it != object.end(); ++it)
            if (it.key().compare(QLatin1String(alias), Qt::CaseInsensitive) == 0 && it->isString())
                return it->toString().trimmed();
    return {};
}

// schema4apps writes the description as a list of lines, and a line that ends a paragraph
// ends in "\n"; joined with newlines this is Markdown again. Some files escaped the "\n"
// once too often, leaving a literal backslash-n at the end of the line.
QString firstOf(std::initializer_list<QString> candidates)
{
    for (const QString &c : candidates)
        if (!c.isEmpty())
            return c;
    return {};
}

QString descriptionText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().trimmed();
    QStringList lines;
    for (const QJsonValue &line : value.toArray()) {
        QString text = line.toString();
        if (text.endsWith(QLatin1String("\\n")))
            text = text.chopped(2) + QLatin1Char('\n');
        lines << text;
    }
    return lines.join(QLatin1Char('\n')).trimmed();
}

// "deephdc/deep-oc-satsr:latest" or "https://hub.docker.com/r/deephdc/deep-oc-satsr".
QString dockerImageName(const QString &repo)
{
    QString name = repo.section(QLatin1Char('/'), -1);
    return name.section(QLatin1Char(':'), 0, 0);
}

QString dockerImageUrl(const QString &repo)
{
    if (repo.contains(QLatin1String("://")))
        return repo;
    return QStringLiteral("https://hub.docker.com/r/") + repo.section(QLatin1Char(':'), 0, 0);
}

QStringList matchingTasks(const QString &text)
{
    const QString t = text.toLower();
    const auto any = [&t](std::initializer_list<const char *> words) {
        return std::any_of(words.begin(), words.end(), [&t](const char *w) { return t.contains(QLatin1String(w)); });
    };
    QStringList tasks;
    if (any({"image classification", "image-classification", "image classifier", "classify images",
             "classifies images"}) ||
        (t.contains(QLatin1String("classif")) && any({"image", "photo", "picture"})))
        tasks << QStringLiteral("image-classification");
    if (any({"super-resolution", "super resolution", "superresolution", "super-resolve", "super resolve",
             "pansharpen"}))
        tasks << QStringLiteral("super-resolution");
    if (any({"time series", "time-series", "timeseries", "forecast"}))
        tasks << QStringLiteral("time-series");
    return tasks;
}

QString deriveId(DeepFields &fields, const QString &dockerRepo, const QString &title)
{
    if (const QString given = fields.string({"id"}); !given.isEmpty())
        return slugify(given);
    if (!dockerRepo.isEmpty())
        return slugify(dockerImageName(dockerRepo));
    return slugify(title);
}

void guessTaskInto(ModuleManifest &m, DeepFields &fields)
{
    const QStringList firstLook =
        matchingTasks(m.title + QLatin1Char(' ') + m.summary + QLatin1Char(' ') + m.keywords.join(QLatin1Char(' ')));
    const QStringList secondLook = firstLook.isEmpty() ? matchingTasks(m.description) : QStringList();
    const QString known = knownTasks().join(QStringLiteral(", "));
    if (firstLook.size() == 1 || (firstLook.isEmpty() && secondLook.size() == 1)) {
        m.task = firstLook.isEmpty() ? secondLook.first() : firstLook.first();
        fields.warn(QStringLiteral("task"),
                    QStringLiteral("guessed \"%1\" from the %2; check that it is right")
                        .arg(m.task, firstLook.isEmpty() ? QStringLiteral("description")
                                                         : QStringLiteral("title, summary and keywords")));
        return;
    }
    const QStringList several = firstLook.isEmpty() ? secondLook : firstLook;
    fields.warn(
        QStringLiteral("task"),
        several.isEmpty()
            ? QStringLiteral("could not tell the task from the title, keywords or description; set it to one of %1")
                  .arg(known)
            : QStringLiteral("the text suggests several tasks (%1); set the right one")
                  .arg(several.join(QStringLiteral(", "))));
}

}  // namespace

QString slugify(const QString &text)
{
    QString decomposed = text.normalized(QString::NormalizationForm_KD).toLower();
    QString slug;
    slug.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;  // the accent of a decomposed "é"
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
            c == QLatin1Char('_') || c == QLatin1Char('.'))
            slug += c;
        else if (!slug.isEmpty() && !slug.endsWith(QLatin1Char('-')))
            slug += QLatin1Char('-');
    }
    // An id starts with a letter or a digit, and a trailing separator only looks broken.
    const auto separator = [](QChar c) {
        return c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.');
    };
    while (!slug.isEmpty() && separator(slug.front()))
        slug.remove(0, 1);
    slug.truncate(64);
    while (!slug.isEmpty() && separator(slug.back()))
        slug.chop(1);
    return slug;
}

QString guessTask(const QString &text)
{
    const QStringList tasks = matchingTasks(text);
    return tasks.size() == 1 ? tasks.first() : QString();
}

Result<ModuleManifest> importDeepMetadata(const QByteArray &json, QList<ValidationProblem> *warnings)
{
    Result<QJsonObject> parsed = parseJsonObject(json, kFile);
    if (!parsed)
        return parsed.error();
    DeepFields fields(*parsed, warnings);
    ModuleManifest m;

    m.title = fields.string({"title"});
    m.summary = fields.string({"summary", "short_description"});
    m.description = descriptionText(fields.take({"description"}));
    m.keywords = fields.strings({"keywords", "tags"});
    for (const QString &topic : fields.strings({"topics"}))
        if (!m.keywords.contains(topic, Qt::CaseInsensitive))
            m.keywords << topic;
    m.license = fields.string({"license", "licence"});
    m.authors = fields.strings({"authors", "author"});

    // schema4apps: date_creation; the later ai4 form: dates {created|creation}.
    m.dateCreation = fields.string({"date_creation", "date_created", "creation_date"});
    const QJsonObject dates = fields.object({"dates"});
    if (m.dateCreation.isEmpty())
        m.dateCreation = nestedString(dates, {"created", "creation"});

    // schema4apps: sources {code, dockerfile_repo, docker_registry_repo, ...};
    // the ai4 form: links {source_code, docker_image, dataset, weights, doi, ...}.
    // A hand-made file may list sources as URLs already, as module.json does.
    const bool sourcesListed = fields.peek("sources").isArray() || fields.peek("sources").isString();
    if (sourcesListed)
        m.sources = fields.strings({"sources"});
    const QJsonObject sources = sourcesListed ? QJsonObject() : fields.object({"sources"});
    const QJsonObject links = fields.object({"links"});
    const QString code = firstOf({nestedString(sources, {"code"}), nestedString(links, {"source_code"})});
    const QString dockerfile = nestedString(sources, {"dockerfile_repo"});
    const QString dockerRepo =
        firstOf({nestedString(sources, {"docker_registry_repo"}), nestedString(links, {"docker_image"})});
    for (const QString &url : {code, dockerfile, dockerRepo.isEmpty() ? QString() : dockerImageUrl(dockerRepo)})
        if (!url.isEmpty() && !m.sources.contains(url))
            m.sources << url;

    m.datasetUrl = fields.string({"dataset_url"});
    if (m.datasetUrl.isEmpty())
        m.datasetUrl = nestedString(links, {"dataset"});
    m.citeUrl = fields.string({"cite_url"});
    const QString doi = firstOf(
        {fields.string({"doi"}), nestedString(links, {"doi", "zenodo_doi"}), nestedString(sources, {"zenodo_doi"})});
    if (m.citeUrl.isEmpty())
        m.citeUrl = nestedString(links, {"cite_url", "citation", "article"});
    if (m.citeUrl.isEmpty() && !doi.isEmpty())
        m.citeUrl = doi.contains(QLatin1String("://")) ? doi : QStringLiteral("https://doi.org/") + doi;

    if (const QString trainingFiles = fields.string({"training_files_url"}); !trainingFiles.isEmpty())
        m.trainingData.insert(QStringLiteral("url"), trainingFiles);
    // Pre-trained weights live elsewhere; keep the address so that they can be fetched later.
    const QString weightsUrl =
        firstOf({nestedString(sources, {"pre_trained_weights"}), nestedString(links, {"weights"})});
    if (!weightsUrl.isEmpty())
        m.weights.extra.insert(QStringLiteral("url"), weightsUrl);

    // A metadata.json written for the workbench may already carry our own fields.
    m.task = fields.string({"task"});
    m.architecture = fields.string({"architecture"});
    if (const QString version = fields.string({"version"}); !version.isEmpty())
        m.version = version;
    m.id = deriveId(fields, dockerRepo, m.title);
    if (m.title.isEmpty() && !m.id.isEmpty()) {
        m.title = m.id;
        fields.warn(QStringLiteral("title"),
                    QStringLiteral("missing; the module is named \"%1\" — give it a real title").arg(m.id));
    }
    if (m.id.isEmpty())
        return Error::at(kFile, QStringLiteral("names no module: it has no title, no docker repository and no id; "
                                               "is this a DEEP Open Catalog metadata.json?"));
    if (m.task.isEmpty())
        guessTaskInto(m, fields);
    m.createdWith = QStringLiteral("deep-workbench " DW_VERSION " (imported from a DEEP metadata.json)");

    // Whatever the workbench has no field for (continuous_integration, tosca, libraries, ...)
    // travels on unchanged, so that exporting the module loses nothing.
    QJsonObject extra = fields.unknown();
    // Our sources are a flat list of URLs; the DEEP object says which URL is which.
    if (!sources.isEmpty())
        extra.insert(QStringLiteral("deep_sources"), sources);
    if (!links.isEmpty())
        extra.insert(QStringLiteral("links"), links);
    if (!dates.isEmpty())
        extra.insert(QStringLiteral("dates"), dates);
    m.extra = extra;
    return m;
}

}  // namespace dw
