// module.json on disk: size, encoding and syntax checks before parsing, atomic writes,
// and the weights file checks.
#include "core/catalog/manifest_io.h"

#include "core/util/file_commit.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSaveFile>

namespace dw {
namespace {

// Offset of the first byte that breaks UTF-8, or -1. Qt's JSON parser would only say
// "illegal UTF-8"; the offset lets the user find the byte in an editor.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        int extra = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += extra + 1;
    }
    return -1;
}

QString lineAndColumn(const QByteArray &bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    const qsizetype line = bytes.left(offset).count('\n') + 1;
    const qsizetype lineStart = bytes.lastIndexOf('\n', offset - 1) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MB");
}

Error tooLarge(const QString &field, qint64 size)
{
    return Error::at(
        field, QStringLiteral("the file is %1, but a manifest is at most %2; this is not a manifest "
                              "(a weights or data file named by mistake?) — replace it with the module's JSON manifest")
                   .arg(megabytes(size), megabytes(kMaxManifestBytes)));
}

// Type problems come first and are the more precise complaint: a value check that fails
// only because the wrong-typed value was skipped would repeat it less clearly.
void appendUnlessCovered(QList<ValidationProblem> &problems, const QList<ValidationProblem> &more)
{
    const QList<ValidationProblem> typeProblems = problems;
    for (const ValidationProblem &p : more) {
        const bool covered = std::any_of(typeProblems.begin(), typeProblems.end(), [&](const ValidationProblem &t) {
            return t.field == p.field || t.field.startsWith(p.field + QLatin1Char('[')) ||
                   t.field.startsWith(p.field + QLatin1Char('.')) || p.field.startsWith(t.field + QLatin1Char('.'));
        });
        if (!covered)
            problems.append(p);
    }
}

}  // namespace

bool isSafeRelativePath(const QString &path)
{
    static const QRegularExpression separators(QStringLiteral("[/\\\\]"));
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1Char('\\')) ||
        drive.match(path).hasMatch())
        return false;
    return !path.split(separators).contains(QStringLiteral(".."));
}

Result<QJsonObject> parseJsonObject(const QByteArray &bytes, const QString &field)
{
    if (bytes.isEmpty())
        return Error::at(
            field, QStringLiteral("the file is empty; it should hold a JSON object {...} — restore it from a backup "
                                  "or the module's archive"));
    if (bytes.size() > kMaxManifestBytes)
        return tooLarge(field, bytes.size());
    if (const qsizetype bad = firstInvalidUtf8(bytes); bad >= 0)
        return Error::at(field, QStringLiteral("invalid UTF-8 at byte %1 (%2): the file must be saved as UTF-8 text; "
                                               "re-save it as UTF-8 in your editor")
                                    .arg(bad)
                                    .arg(lineAndColumn(bytes, bad)));
    // Qt's parser calls a file that is no JSON at all (a YAML file, an HTML page) an
    // "illegal value"; saying what the file starts with is more useful.
    qsizetype first = bytes.startsWith("\xef\xbb\xbf") ? 3 : 0;
    while (first < bytes.size() && QChar::isSpace(uchar(bytes.at(first))))
        ++first;
    if (first < bytes.size() && bytes.at(first) != '{' && bytes.at(first) != '[')
        return Error::at(
            field, QStringLiteral("the file does not start with '{' (it starts with '%1' at %2), so it is not a JSON "
                                  "object; a manifest is a JSON object {\"id\": ..., \"title\": ...}")
                       .arg(QString::fromUtf8(bytes.mid(first, 1)), lineAndColumn(bytes, first)));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        const bool atEnd = error.offset >= bytes.trimmed().size();
        return Error::at(
            field, QStringLiteral("malformed JSON at byte %1 (%2): %3; %4")
                       .arg(error.offset)
                       .arg(lineAndColumn(bytes, error.offset), error.errorString(),
                            atEnd ? QStringLiteral(
                                        "the file looks truncated — restore it from a backup or the module's archive")
                                  : QStringLiteral("fix the syntax there (a missing comma, quote or bracket?)")));
    }
    if (!doc.isObject())
        return Error::at(
            field, QStringLiteral(
                       "the top level is a list [...], but a manifest is a JSON object {\"id\": ..., \"title\": ...}"));
    return doc.object();
}

ManifestReadResult parseManifest(const QByteArray &bytes)
{
    ManifestReadResult result;
    Result<QJsonObject> json = parseJsonObject(bytes);
    if (!json) {
        result.problems.append({json.error().field, json.error().message});
        result.manifest.version.clear();
        return result;
    }
    result.manifest = manifestFromJson(*json, &result.problems);
    appendUnlessCovered(result.problems, validateManifest(result.manifest));
    return result;
}

QString interruptedCheckpoint(const QString &moduleDir)
{
    const QString path = QDir(moduleDir).filePath(QStringLiteral("checkpoints/last.pt"));
    return QFileInfo(path).isFile() ? path : QString();
}

ManifestReadResult readManifest(const QString &moduleDirOrFile)
{
    const QFileInfo given(moduleDirOrFile);
    const bool isFolder = given.isDir();
    const QString filePath = isFolder ? QDir(moduleDirOrFile).filePath(manifestFileName()) : moduleDirOrFile;
    const QString moduleDir = isFolder ? moduleDirOrFile : given.path();
    const QString field = manifestFileName();

    ManifestReadResult result;
    result.manifest.version.clear();
    const QFileInfo info(filePath);
    if (!info.exists()) {
        if (isFolder && !interruptedCheckpoint(moduleDir).isEmpty())
            result.problems.append(
                {field, QStringLiteral("missing: %1 holds an interrupted training (its checkpoint of the last "
                                       "finished epoch is kept): run the same 'deepwb train' command with --resume "
                                       "to finish it, or delete the folder")
                            .arg(moduleDir)});
        else
            result.problems.append(
                {field, isFolder ? QStringLiteral("missing: the folder %1 has no module.json; every module needs one — "
                                                  "restore it, or delete the folder if it is not a module")
                                       .arg(moduleDir)
                                 : QStringLiteral("%1 does not exist").arg(filePath)});
        return result;
    }
    // Checked before reading so that a huge file named module.json is never loaded.
    if (info.size() > kMaxManifestBytes) {
        const Error error = tooLarge(field, info.size());
        result.problems.append({error.field, error.message});
        return result;
    }
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        result.problems.append(
            {field, QStringLiteral("cannot be read (%1); check the file's permissions").arg(file.errorString())});
        return result;
    }
    result = parseManifest(file.read(kMaxManifestBytes + 1));
    if (!result.manifest.weights.file.isEmpty())
        appendUnlessCovered(result.problems, verifyWeights(result.manifest, moduleDir, false));
    return result;
}

Result<void> writeManifest(const ModuleManifest &manifest, const QString &moduleDir)
{
    if (!QDir().mkpath(moduleDir))
        return failure(QStringLiteral("cannot create the module folder %1; check that the catalog folder is writable")
                           .arg(moduleDir));
    return writeFileAtomically(QDir(moduleDir).filePath(manifestFileName()),
                               QJsonDocument(manifestToJson(manifest)).toJson(QJsonDocument::Indented),
                               QStringLiteral("the manifest"), manifestFileName());
}

Result<QString> sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1 (%2)").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // addData(QIODevice*) reads in blocks: a multi-gigabyte weights file is never in memory.
    if (!hash.addData(&file))
        return failure(QStringLiteral("reading %1 failed part-way (%2)").arg(path, file.errorString()));
    return QString::fromLatin1(hash.result().toHex());
}

QList<ValidationProblem> verifyWeights(const ModuleManifest &manifest, const QString &moduleDir, bool checkHash)
{
    QList<ValidationProblem> out;
    const WeightsInfo &weights = manifest.weights;
    if (weights.file.isEmpty())
        return out;
    // Paths that leave the module folder are validateManifest's complaint; never look there.
    if (!isSafeRelativePath(weights.file))
        return out;
    const QString path = QDir(moduleDir).filePath(weights.file);
    const QFileInfo info(path);
    if (!info.exists()) {
        out.append({QStringLiteral("weights.file"),
                    QStringLiteral("\"%1\" is not in the module folder %2; copy the weights file "
                                   "there, or train the module again")
                        .arg(weights.file, moduleDir)});
        return out;
    }
    if (!info.isFile()) {
        out.append({QStringLiteral("weights.file"),
                    QStringLiteral("\"%1\" is a folder, not a weights file").arg(weights.file)});
        return out;
    }
    if (!checkHash || weights.sha256.isEmpty())
        return out;
    const Result<QString> actual = sha256OfFile(path);
    if (!actual) {
        out.append({QStringLiteral("weights.file"), actual.error().message});
        return out;
    }
    if (actual->compare(weights.sha256, Qt::CaseInsensitive) != 0)
        out.append({QStringLiteral("weights.sha256"),
                    QStringLiteral(
                        "the weights file \"%1\" does not match its checksum (expected %2, found %3); it is damaged "
                        "or was replaced — copy or download it again")
                        .arg(weights.file, weights.sha256.toLower(), *actual)});
    return out;
}

}  // namespace dw
