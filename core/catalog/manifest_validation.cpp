// Value checks on a manifest. Each problem names the module.json key it is about and says
// what a valid value looks like, because the person reading it is fixing a file by hand.
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_id.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QRegularExpression>
#include <QUrl>

namespace dw {
namespace {

constexpr int kMaxIdLength = kMaxModuleIdLength;

// "Semver-ish": 1, 1.2, 1.2.3, with an optional -pre-release or +build suffix.
bool isVersion(const QString &version)
{
    static const QRegularExpression re(QStringLiteral("^\\d+(\\.\\d+){0,2}([-+][0-9A-Za-z.+-]+)?$"));
    return re.match(version).hasMatch();
}

bool isIsoDate(const QString &text)
{
    if (QDate::fromString(text, Qt::ISODate).isValid())
        return true;
    return QDateTime::fromString(text, Qt::ISODate).isValid();
}

bool isWebAddress(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.scheme().isEmpty() && (!url.host().isEmpty() || url.scheme() == QLatin1String("file"));
}

void checkId(const QString &field, const QString &id, bool required, QList<ValidationProblem> &out)
{
    if (id.isEmpty()) {
        if (required)
            out.append({field, QStringLiteral(
                                   "required: a short, folder-safe name for the module, e.g. \"plant-classifier\"")});
        return;
    }
    if (id.size() > kMaxIdLength) {
        out.append({field, QStringLiteral("\"%1\" is %2 characters long; an id may have at most %3")
                               .arg(id)
                               .arg(id.size())
                               .arg(kMaxIdLength)});
        return;
    }
    if (!isValidModuleId(id))
        out.append({field, QStringLiteral("\"%1\" is not a valid id: use lower-case letters, digits, '.', '_' and '-', "
                                          "starting with a letter or a digit (e.g. \"plant-classifier\")")
                               .arg(id)});
}

void checkUrl(const QString &field, const QString &url, QList<ValidationProblem> &out)
{
    if (!url.isEmpty() && !isWebAddress(url))
        out.append(
            {field, QStringLiteral(
                        "\"%1\" is not a web address: give a full URL such as https://doi.org/..., or leave it empty")
                        .arg(url)});
}

void checkStrings(const QString &field, const QStringList &values, bool unique, QList<ValidationProblem> &out)
{
    QHash<QString, qsizetype> seen;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(field).arg(i);
        if (values.at(i).trimmed().isEmpty()) {
            out.append({at, QStringLiteral("is empty; remove it or give it a name")});
            continue;
        }
        if (!unique)
            continue;
        if (const auto it = seen.constFind(values.at(i)); it != seen.cend()) {
            out.append({at, QStringLiteral("\"%1\" is listed twice (also %2[%3]); every entry must be unique")
                                .arg(values.at(i), field)
                                .arg(*it)});
            continue;
        }
        seen.insert(values.at(i), i);
    }
}

// True for "/x", "\\x" and "C:/x": a path that ignores the module folder.
bool isAbsolutePath(const QString &path)
{
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    return path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1Char('\\')) || drive.match(path).hasMatch();
}

bool leavesFolder(const QString &path)
{
    static const QRegularExpression separators(QStringLiteral("[/\\\\]"));
    return path.split(separators).contains(QStringLiteral(".."));
}

void checkWeights(const WeightsInfo &weights, QList<ValidationProblem> &out)
{
    if (weights.isEmpty())
        return;  // a template: nothing trained yet
    const QString formats = knownWeightFormats().join(QStringLiteral(", "));
    if (weights.file.isEmpty())
        out.append(
            {QStringLiteral("weights.file"), QStringLiteral("required when weights are described: the name of the "
                                                            "weights file in the module folder, e.g. \"weights.pt\"")});
    else if (isAbsolutePath(weights.file))
        out.append({QStringLiteral("weights.file"),
                    QStringLiteral(
                        "\"%1\" is an absolute path; name the file relative to the module folder, e.g. \"weights.pt\"")
                        .arg(weights.file)});
    else if (leavesFolder(weights.file))
        out.append(
            {QStringLiteral("weights.file"),
             QStringLiteral("\"%1\" points outside the module folder ('..'); keep the weights inside the module folder")
                 .arg(weights.file)});

    if (weights.format.isEmpty())
        out.append({QStringLiteral("weights.format"), QStringLiteral("required: one of %1").arg(formats)});
    else if (!knownWeightFormats().contains(weights.format))
        out.append({QStringLiteral("weights.format"),
                    QStringLiteral("unknown format \"%1\"; use one of %2").arg(weights.format, formats)});

    static const QRegularExpression hex64(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (!weights.sha256.isEmpty() && !hex64.match(weights.sha256).hasMatch())
        out.append(
            {QStringLiteral("weights.sha256"),
             QStringLiteral("\"%1\" is not a SHA-256 checksum: it must be 64 hexadecimal characters, as printed by "
                            "sha256sum; leave it empty if unknown")
                 .arg(weights.sha256)});
}

}  // namespace

QList<ValidationProblem> validateManifest(const ModuleManifest &m)
{
    QList<ValidationProblem> out;
    checkId(QStringLiteral("id"), m.id, true, out);
    if (m.title.trimmed().isEmpty())
        out.append({QStringLiteral("title"),
                    QStringLiteral("required: the name shown in the catalog, e.g. \"Plant classifier\"")});

    const QString tasks = knownTasks().join(QStringLiteral(", "));
    if (m.task.isEmpty())
        out.append({QStringLiteral("task"), QStringLiteral("required: what the module does, one of %1").arg(tasks)});
    else if (!knownTasks().contains(m.task))
        out.append(
            {QStringLiteral("task"), QStringLiteral("unknown task \"%1\"; the workbench knows %2").arg(m.task, tasks)});

    if (m.version.isEmpty())
        out.append({QStringLiteral("version"), QStringLiteral("required: the module's version, e.g. \"1.0.0\"")});
    else if (!isVersion(m.version))
        out.append(
            {QStringLiteral("version"),
             QStringLiteral("\"%1\" is not a version number: use major.minor.patch, e.g. \"1.0.0\" or \"2.1.0-beta\"")
                 .arg(m.version)});

    if (!m.dateCreation.isEmpty() && !isIsoDate(m.dateCreation))
        out.append({QStringLiteral("date_creation"),
                    QStringLiteral("\"%1\" is not a date: use the ISO form YYYY-MM-DD, e.g. \"2024-05-31\"")
                        .arg(m.dateCreation)});

    checkUrl(QStringLiteral("dataset_url"), m.datasetUrl, out);
    checkUrl(QStringLiteral("cite_url"), m.citeUrl, out);
    checkStrings(QStringLiteral("keywords"), m.keywords, false, out);
    checkStrings(QStringLiteral("labels"), m.labels, true, out);
    checkId(QStringLiteral("parent"), m.parent, false, out);
    checkWeights(m.weights, out);
    return out;
}

}  // namespace dw
