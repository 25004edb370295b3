#pragma once
// A labelled image dataset as read from disk: its classes, its samples and, where the data
// says so, which samples train, validate and test. Read from a folder per class, from DEEP
// split files or from a CSV manifest (see ImageDataset::open); a plain value, cheap to
// copy between threads.
#include "core/util/result.h"
#include "plugins/imageclass/data/dataset_split.h"
#include "plugins/imageclass/data/image_sample.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace dw::imageclass {

enum class DatasetFormat { FolderPerClass, SplitFiles, CsvManifest };

class ImageDataset {
public:
    ImageDataset() = default;

    // Checks what holds for every format: at least 2 classes, no class without images,
    // labels in range, unique class names.
    static Result<ImageDataset> create(QString root, DatasetFormat format, QStringList classes,
                                       std::vector<ImageSample> samples, QString description = {});

    // Reads path, recognising the format:
    //  - DEEP split files: train.txt (+ val.txt, test.txt, classes.txt, info.txt) in path
    //    or path/dataset_files, or a train.txt given directly;
    //  - a CSV manifest: a .csv file given directly, or a folder holding manifest.csv,
    //    labels.csv, dataset.csv or data.csv, or a single .csv and at most one subfolder;
    //  - otherwise one folder per class (path/<class>/...), optionally under train/,
    //    val/ (validation/) and test/.
    static Result<ImageDataset> open(const QString &path);

    const QString &root() const { return m_root; }
    DatasetFormat format() const { return m_format; }
    QString formatName() const;  // "folder-per-class", "split-files", "csv-manifest"
    const QStringList &classes() const { return m_classes; }
    int classCount() const { return static_cast<int>(m_classes.size()); }
    const std::vector<ImageSample> &samples() const { return m_samples; }
    std::size_t size() const { return m_samples.size(); }
    const QString &description() const { return m_description; }  // info.txt

    std::vector<int> labels() const;
    // Images per class among the given positions (all samples when positions is null).
    std::vector<qint64> countsPerClass(const std::vector<int> *positions = nullptr) const;
    // True when the data assigns samples to train/validation/test itself.
    bool hasPredefinedSplit() const;

    // The split to train with. With a predefined split: used as given; samples it leaves
    // unassigned go to train; without a validation part one is carved from train (the
    // validation share of train + validation). Otherwise stratified by fractions and seed.
    // Error when a class ends up with no training image.
    Result<DatasetSplit> split(const SplitFractions &fractions = {}, std::uint64_t seed = 0) const;

    // Provenance: SHA-256 (hex) of the sorted relative paths with file sizes and class
    // names. Equal for the same files and labels wherever the dataset lies.
    QString dataHash() const;
    // Format, root, classes, images per class, total, hash, description.
    QJsonObject summaryJson() const;

private:
    QString m_root;
    DatasetFormat m_format = DatasetFormat::FolderPerClass;
    QStringList m_classes;
    std::vector<ImageSample> m_samples;
    QString m_description;
};

}  // namespace dw::imageclass
