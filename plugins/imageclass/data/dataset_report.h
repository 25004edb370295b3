#pragma once
// What a scientist wants to know about a dataset before training on it: images per class
// (per split part), the files that cannot be read and why, image sizes, channels and
// depths, and a list of problems worth fixing (too few images, imbalance, unreadable
// files). Every file is checked in parallel: decoded fully, or only its header (fast).
#include "plugins/imageclass/data/dataset_split.h"
#include "plugins/imageclass/data/image_dataset.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace dw::imageclass {

class DatasetReport {
public:
    struct Options {
        bool decode = true;  // false: headers only (size, truncation), much faster
        int threads = 0;     // 0: one per core
        int maxSide = 20000;
        int fewImages = 10;       // a class with fewer images is reported as a problem
        double imbalance = 10.0;  // largest / smallest class above this is reported
    };
    struct Unreadable {
        int index = -1;  // position in the dataset's samples
        QString relativePath;
        QString reason;
    };
    struct SizeStats {
        int min = 0, max = 0, median = 0;
    };

    // progress(done, total) is called from the scanning threads: it must be thread-safe.
    static DatasetReport build(const ImageDataset &dataset, const DatasetSplit *split, const Options &options,
                               const std::atomic_bool *cancel = nullptr,
                               const std::function<void(std::int64_t, std::int64_t)> &progress = {});

    QString root, format, dataHash;
    QStringList classes;
    std::vector<qint64> images;                   // per class
    std::vector<qint64> train, validation, test;  // per class; empty without a split
    qint64 total = 0;
    qint64 scanned = 0;                  // files looked at (less than total when cancelled)
    std::vector<Unreadable> unreadable;  // in sample order
    SizeStats widths, heights;           // of the readable images, as shown (orientation applied)
    std::map<int, qint64> channels;      // channel count -> images
    std::map<int, qint64> bitDepths;     // bits per sample -> images
    QStringList problems;
    bool cancelled = false;

    QJsonObject toJson() const;
    QString toText() const;  // a few readable lines for the command line and logs
};

}  // namespace dw::imageclass
