#include "core/catalog/demo_modules.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace dw {
namespace {

QString firstFolder(const char *variable, const QString &name)
{
    if (qEnvironmentVariableIsSet(variable)) {
        const QString chosen = qEnvironmentVariable(variable);
        return chosen.isEmpty() ? QString() : QDir::cleanPath(chosen);
    }
    QStringList candidates;
    if (QCoreApplication::instance())
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/deep-workbench/") + name;
    candidates << QStringLiteral(DW_SHARE_INSTALL_DIR "/") + name << QStringLiteral(DW_SOURCE_DIR "/resources/") + name;
    for (const QString &path : std::as_const(candidates))
        if (QFileInfo(path).isDir())
            return QFileInfo(path).canonicalFilePath();
    return {};
}

}  // namespace

QString demoModulesDirectory()
{
    return firstFolder("DEEPWB_DEMO_MODULES", QStringLiteral("demo-modules"));
}

QString demoSamplesDirectory()
{
    return firstFolder("DEEPWB_DEMO_SAMPLES", QStringLiteral("demo-samples"));
}

bool isDemo(const CatalogEntry &entry)
{
    return entry.builtIn && entry.manifest.keywords.contains(QStringLiteral("demo"), Qt::CaseInsensitive);
}

}  // namespace dw
