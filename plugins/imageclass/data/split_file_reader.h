#pragma once
// DEEP split files, as DEEP-Hybrid-DataCloud's image classification module writes them:
//   train.txt, val.txt, test.txt   one image a line: "relative/path label"; the label is
//                                  the last whitespace-separated token, so paths may hold
//                                  spaces; an integer indexes classes.txt, anything else
//                                  is a class name (one from classes.txt with spaces may
//                                  be written out); empty lines and "#" comments skipped
//   classes.txt                    one class name a line (optional)
//   info.txt                       a description of the dataset (optional)
// in the dataset folder or its dataset_files/ subfolder. Image paths are looked up under
// <root>/images, <root> and the folder of the split files, in that order. Every problem
// is reported with its file and line.
#include "core/util/result.h"
#include "plugins/imageclass/data/image_dataset.h"

#include <QString>

namespace dw::imageclass {

class SplitFileReader {
public:
    // The folder holding train.txt for a dataset path (the folder itself, its
    // dataset_files/ subfolder, or a train.txt given directly); empty when there is none.
    static QString findSplitDirectory(const QString &path);
    static Result<ImageDataset> read(const QString &path);
};

}  // namespace dw::imageclass
