#pragma once
#include "core/catalog/module_manifest.h"

#include <QList>
#include <QString>

namespace dw {

struct ValidationProblem {
    QString field;    // "title", "weights.sha256", "module.json" for the file as a whole
    QString message;  // why, and what to do
    QString text() const { return field + QStringLiteral(": ") + message; }
};

// One module found by a catalog scan: valid or not, it is always listed.
struct CatalogEntry {
    QString path;                       // the module folder (":/modules/..." for built-in ones)
    bool builtIn = false;               // read-only, shipped with the application
    bool beingWritten = false;          // a training or import holds its lock (core/catalog/module_lock.h)
    bool interrupted = false;           // no module.json but a checkpoint: a training to resume
    ModuleManifest manifest;            // as much as could be read
    QList<ValidationProblem> problems;  // empty when valid
    bool isValid() const { return problems.isEmpty(); }
    QString id() const;  // manifest id, else the folder name
};

}  // namespace dw
