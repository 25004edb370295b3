#pragma once
// The folder-per-class layout, as Keras, Create ML and DIGITS read it:
//   root/<class>/**/<image>            (no split given), or
//   root/train/<class>/**/<image>      with root/val|valid|validation/... and root/test/...
// Hidden files and folders and files that are not images are ignored; images directly
// in root are ignored too. Class names are the folder names, sorted.
#include "core/util/result.h"
#include "plugins/imageclass/data/image_dataset.h"

#include <QString>

namespace dw::imageclass {

class FolderDatasetReader {
public:
    static Result<ImageDataset> read(const QString &directory);
};

}  // namespace dw::imageclass
