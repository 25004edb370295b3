#pragma once
// The subcommands of deepwb. Each takes the arguments after its own name and returns
// the process exit code (see cli_output.h).
#include <QStringList>

namespace dw::cli {

int runCatalogCommand(const QStringList &args);   // catalog list|show|validate|import-deep|export|import
int runPluginsCommand(const QStringList &args);   // plugins
int runDevicesCommand(const QStringList &args);   // devices
int runVersionCommand(const QStringList &args);   // --version / version

}  // namespace dw::cli
