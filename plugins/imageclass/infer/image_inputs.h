#pragma once
// The image files named on a command line or dropped on the GUI: files as given, folders
// searched recursively for images, each folder's files in sorted order.
#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

struct SkippedImage {
    QString path;
    QString reason;  // why it was not classified, in the user's words
};

struct ImageInputs {
    QStringList files;                   // absolute, in the order given (folders sorted)
    std::vector<SkippedImage> problems;  // paths that do not exist, folders without images
};

ImageInputs collectImageFiles(const QStringList &paths);

}  // namespace dw::imageclass
