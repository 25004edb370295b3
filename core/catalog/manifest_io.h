#pragma once
// Reading, validating and writing module.json. Reading is tolerant: it takes what it can
// from a damaged manifest and lists every problem with its field, so that the catalog can
// still show the module and tell the user exactly what to fix.
#include "core/catalog/catalog_entry.h"
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace dw {

// A manifest is a few kilobytes; anything past this is not a manifest, and refusing it
// before parsing keeps a stray multi-gigabyte file from freezing a catalog scan.
inline constexpr qint64 kMaxManifestBytes = 1024 * 1024;

inline QString manifestFileName()
{
    return QStringLiteral("module.json");
}
// The checkpoint a training keeps after each epoch in its module folder; a folder with one and
// no module.json is an interrupted training that can be resumed. Empty when there is none.
QString interruptedCheckpoint(const QString &moduleDir);

struct ManifestReadResult {
    ModuleManifest manifest;            // as much as could be read
    QList<ValidationProblem> problems;  // empty when the manifest is valid
    bool isValid() const { return problems.isEmpty(); }
};

// The JSON form of a manifest, with the keys of module.json; extra keys are merged back.
QJsonObject manifestToJson(const ModuleManifest &manifest);
// Reads every field it can; a field of the wrong JSON type is skipped and reported in
// *problems (may be null). Does not check values: see validateManifest().
ModuleManifest manifestFromJson(const QJsonObject &json, QList<ValidationProblem> *problems);
// Value checks: required fields, id, task, version, date, URLs, labels, weights.
QList<ValidationProblem> validateManifest(const ModuleManifest &manifest);

// Size, encoding, JSON syntax and the top-level object; field names the file in errors.
Result<QJsonObject> parseJsonObject(const QByteArray &bytes, const QString &field = manifestFileName());
// parseJsonObject + manifestFromJson + validateManifest.
ManifestReadResult parseManifest(const QByteArray &bytes);
// A module folder (its module.json) or a manifest file; ":/modules/..." works too. For a
// module, also checks that a named weights file exists (without hashing it).
ManifestReadResult readManifest(const QString &moduleDirOrFile);
// Writes moduleDir/module.json atomically (QSaveFile), indented; creates moduleDir.
Result<void> writeManifest(const ModuleManifest &manifest, const QString &moduleDir);

// True for a non-empty relative path that stays inside its folder: not absolute ("/x",
// "\\x", "C:x") and without a ".." component. Used for weights.file and archive entries.
bool isSafeRelativePath(const QString &path);

// Lower-case hex SHA-256 of a file, read in chunks so that large weights stay out of memory.
Result<QString> sha256OfFile(const QString &path);
// The weights named by the manifest: the file exists under moduleDir, and when checkHash
// and a sha256 is given, the file's hash matches. Empty for a template.
QList<ValidationProblem> verifyWeights(const ModuleManifest &manifest, const QString &moduleDir, bool checkHash = true);

}  // namespace dw
