#pragma once
// A module folder that appears complete under its final name or not at all: it is written in
// a hidden folder beside its place (".importing-XXXXXX", which the catalog does not list) and
// renamed into place by commit(); without a commit the hidden folder is removed with this
// object, whatever failed on the way.
#include "core/util/result.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace dw {

class ModuleStaging {
public:
    // An error when target exists already (field "name") or its parent cannot be written ("output").
    static Result<std::unique_ptr<ModuleStaging>> begin(const QString &target);

    const QString &target() const { return m_target; }
    QString path() const { return m_staging.path(); }  // the folder to write into
    QString filePath(const QString &name) const;
    // Moves the written folder to target.
    Result<void> commit();

private:
    explicit ModuleStaging(const QString &target);

    QString m_target;
    QTemporaryDir m_staging;
};

}  // namespace dw
