#include "core/catalog/module_staging.h"

#include "core/util/leftovers.h"

#include <QDir>
#include <QFileInfo>

namespace dw {

ModuleStaging::ModuleStaging(const QString &target)
    : m_target(target),
      m_staging(QFileInfo(target).absolutePath() + QStringLiteral("/.importing-") + pidTag() + QStringLiteral("XXXXXX"))
{}

Result<std::unique_ptr<ModuleStaging>> ModuleStaging::begin(const QString &target)
{
    const QString absolute = QDir(target).absolutePath();
    if (QFileInfo::exists(absolute))
        return failure(QStringLiteral("%1 already exists: choose another name for the module").arg(absolute),
                       QStringLiteral("name"));
    const QString parent = QFileInfo(absolute).absolutePath();
    if (!QDir().mkpath(parent))
        return failure(QStringLiteral("cannot create the folder %1: check the path and permissions").arg(parent),
                       QStringLiteral("output"));
    sweepLeftovers(parent, QStringLiteral(".importing-"));  // of imports that were killed
    std::unique_ptr<ModuleStaging> staging(new ModuleStaging(absolute));
    if (!staging->m_staging.isValid())
        return failure(QStringLiteral("cannot write in %1: %2").arg(parent, staging->m_staging.errorString()),
                       QStringLiteral("output"));
    return staging;
}

QString ModuleStaging::filePath(const QString &name) const
{
    return QDir(m_staging.path()).filePath(name);
}

Result<void> ModuleStaging::commit()
{
    if (!QDir().rename(m_staging.path(), m_target))
        return failure(
            QStringLiteral("cannot move the new module to %1: check the folder is writable and does not exist")
                .arg(m_target),
            QStringLiteral("output"));
    m_staging.setAutoRemove(false);
    return success();
}

}  // namespace dw
