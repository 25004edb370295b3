#pragma once
// Where the user's documentation is: README.md (with docs/ beside it) installed with the
// program (share/doc/deep-workbench), else in the source tree the program was built from.
#include <QUrl>

namespace dw {

// The README's file URL; empty when neither copy exists.
QUrl documentationUrl();

}  // namespace dw
