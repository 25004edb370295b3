#pragma once
#include <QString>

namespace dw {

// How the workbench is started: main() fills this from the command line; tests from their
// temporary folders.
struct WorkbenchOptions {
    QString catalogDirectory;  // the user's module folder; empty: Catalog::defaultUserDirectory()
    QString runsDirectory;     // where job run records go; empty: none are written
    bool includeBuiltIns = true;
    bool interactive = true;      // false: message boxes are announced, never shown (tests)
    bool restoreSettings = true;  // window geometry, dock layout, last workspace
};

}  // namespace dw
