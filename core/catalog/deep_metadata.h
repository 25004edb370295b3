#pragma once
// Import of a DEEP Open Catalog metadata.json (the schema4apps format of the DEEP-Hybrid-
// DataCloud modules, its older variants and the later "ai4" form with tags/dates/links).
// Those files were written by hand for years, so the import is tolerant: keys match in any
// case, a description may be a list of lines, unknown keys are kept in extra, and every
// guess or skipped value is reported as a warning.
#include "core/catalog/catalog_entry.h"
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace dw {

// Fails only when the bytes are not a JSON object or name nothing (no title, no docker
// repository, no id). The result may still lack a task (see the warnings): validate it
// with validateManifest() before writing it into the catalog.
Result<ModuleManifest> importDeepMetadata(const QByteArray &json, QList<ValidationProblem> *warnings = nullptr);

// "DEEP OC Satellite super-resolution" -> "deep-oc-satellite-super-resolution": a valid
// module id made of the text: lower-case, accents dropped, '.' and '_' kept, runs of other
// characters as one '-', at most 64 characters. Empty when nothing usable is left.
QString slugify(const QString &text);

// The task a module's words suggest ("image-classification", "super-resolution",
// "time-series"), or empty when none or several match.
QString guessTask(const QString &text);

}  // namespace dw
