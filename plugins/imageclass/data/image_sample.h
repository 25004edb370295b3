#pragma once
// One labelled image of a dataset.
#include <QString>

#include <cstdint>

namespace dw::imageclass {

// Which part of the data a sample belongs to when the dataset itself says so (split
// files, train/ and test/ folders, a CSV split column); Unassigned otherwise.
enum class Subset { Unassigned, Train, Validation, Test };

QString subsetName(Subset subset);  // "unassigned", "train", "val", "test"

struct ImageSample {
    QString path;          // absolute
    QString relativePath;  // as listed, relative to the dataset root; used for the data hash
    int label = -1;        // index into the dataset's classes
    qint64 bytes = 0;      // file size when the dataset was read
    Subset subset = Subset::Unassigned;
    QString origin;  // "train.txt:12" or "labels.csv:3" where the sample was listed; may be empty
};

}  // namespace dw::imageclass
