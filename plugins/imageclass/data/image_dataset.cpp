#include "plugins/imageclass/data/image_dataset.h"

#include "plugins/imageclass/data/csv_manifest_reader.h"
#include "plugins/imageclass/data/folder_dataset_reader.h"
#include "plugins/imageclass/data/problem_list.h"
#include "plugins/imageclass/data/split_file_reader.h"
#include "plugins/imageclass/data/stratified_splitter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace dw::imageclass {

QString subsetName(Subset subset)
{
    switch (subset) {
    case Subset::Train:
        return QStringLiteral("train");
    case Subset::Validation:
        return QStringLiteral("val");
    case Subset::Test:
        return QStringLiteral("test");
    case Subset::Unassigned:
        break;
    }
    return QStringLiteral("unassigned");
}

Result<ImageDataset> ImageDataset::create(QString root, DatasetFormat format, QStringList classes,
                                          std::vector<ImageSample> samples, QString description)
{
    const QString where = QDir::toNativeSeparators(root);
    if (classes.size() < 2)
        return Error::at(where, classes.isEmpty()
                                    ? QStringLiteral("no classes found; need at least 2 classes to train a classifier.")
                                    : QStringLiteral("need at least 2 classes to train a classifier; found only '%1'. "
                                                     "Add a folder (or label) for each other class.")
                                          .arg(classes.first()));
    ProblemList problems;
    QSet<QString> seen;
    for (const QString &name : classes) {
        if (name.trimmed().isEmpty())
            problems.add(QStringLiteral("a class has an empty name."));
        else if (seen.contains(name))
            problems.add(QStringLiteral("class '%1' is listed twice.").arg(name));
        seen.insert(name);
    }
    std::vector<qint64> counts(static_cast<std::size_t>(classes.size()), 0);
    for (const ImageSample &sample : samples) {
        if (sample.label < 0 || sample.label >= classes.size())
            problems.add(
                sample.origin, 0,
                QStringLiteral("label %1 is out of range (%2 classes).").arg(sample.label).arg(classes.size()));
        else
            ++counts[static_cast<std::size_t>(sample.label)];
    }
    for (qsizetype c = 0; c < classes.size(); ++c) {
        if (counts[static_cast<std::size_t>(c)] == 0)
            problems.add(QStringLiteral("class '%1' has no images.").arg(classes[c]));
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("the dataset cannot be used:"), where);

    ImageDataset dataset;
    dataset.m_root = std::move(root);
    dataset.m_format = format;
    dataset.m_classes = std::move(classes);
    dataset.m_samples = std::move(samples);
    dataset.m_description = std::move(description);
    return dataset;
}

Result<ImageDataset> ImageDataset::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::at(QDir::toNativeSeparators(path), QStringLiteral("the dataset folder does not exist."));
    if (info.isFile()) {
        const QString suffix = info.suffix().toLower();
        if (suffix == QLatin1String("csv"))
            return CsvManifestReader::read(info.absoluteFilePath());
        if (suffix == QLatin1String("txt"))
            return SplitFileReader::read(info.absoluteFilePath());
        return Error::at(QDir::toNativeSeparators(path),
                         QStringLiteral("not a dataset: give a folder (one subfolder per class), a train.txt split "
                                        "file or a CSV manifest (path,label)."));
    }
    if (!SplitFileReader::findSplitDirectory(path).isEmpty())
        return SplitFileReader::read(path);
    if (const QString csv = CsvManifestReader::findManifest(path); !csv.isEmpty())
        return CsvManifestReader::read(csv);
    return FolderDatasetReader::read(path);
}

QString ImageDataset::formatName() const
{
    switch (m_format) {
    case DatasetFormat::SplitFiles:
        return QStringLiteral("split-files");
    case DatasetFormat::CsvManifest:
        return QStringLiteral("csv-manifest");
    case DatasetFormat::FolderPerClass:
        break;
    }
    return QStringLiteral("folder-per-class");
}

std::vector<int> ImageDataset::labels() const
{
    std::vector<int> out;
    out.reserve(m_samples.size());
    for (const ImageSample &sample : m_samples)
        out.push_back(sample.label);
    return out;
}

std::vector<qint64> ImageDataset::countsPerClass(const std::vector<int> *positions) const
{
    std::vector<qint64> counts(static_cast<std::size_t>(m_classes.size()), 0);
    const auto count = [&](const ImageSample &sample) {
        if (sample.label >= 0 && sample.label < m_classes.size())
            ++counts[static_cast<std::size_t>(sample.label)];
    };
    if (positions) {
        for (const int p : *positions)
            count(m_samples[static_cast<std::size_t>(p)]);
    } else {
        std::for_each(m_samples.begin(), m_samples.end(), count);
    }
    return counts;
}

bool ImageDataset::hasPredefinedSplit() const
{
    return std::any_of(m_samples.begin(), m_samples.end(),
                       [](const ImageSample &s) { return s.subset != Subset::Unassigned; });
}

Result<DatasetSplit> ImageDataset::split(const SplitFractions &fractions, std::uint64_t seed) const
{
    if (auto ok = StratifiedSplitter::check(fractions); !ok)
        return ok.error();
    const std::vector<int> all = labels();
    DatasetSplit result;
    if (!hasPredefinedSplit()) {
        result = StratifiedSplitter::splitAll(all, fractions, seed);
    } else {
        for (std::size_t i = 0; i < m_samples.size(); ++i) {
            const int position = static_cast<int>(i);
            switch (m_samples[i].subset) {
            case Subset::Validation:
                result.validation.push_back(position);
                break;
            case Subset::Test:
                result.test.push_back(position);
                break;
            default:
                result.train.push_back(position);
                break;
            }
        }
        if (result.validation.empty() && fractions.validation > 0.0) {
            const DatasetSplit carved = StratifiedSplitter::split(
                all, result.train, SplitFractions{fractions.train, fractions.validation, 0.0}, seed);
            result.train = carved.train;
            result.validation = carved.validation;
        }
    }
    const std::vector<qint64> trainCounts = countsPerClass(&result.train);
    const std::vector<qint64> totals = countsPerClass();
    ProblemList problems;
    for (std::size_t c = 0; c < trainCounts.size(); ++c) {
        if (trainCounts[c] == 0)
            problems.add(QStringLiteral("class '%1' has no training images (its %2 images are all in validation or "
                                        "test).")
                             .arg(m_classes[static_cast<qsizetype>(c)])
                             .arg(totals[c]));
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("every class needs at least one training image:"),
                                QDir::toNativeSeparators(m_root));
    return result;
}

QString ImageDataset::dataHash() const
{
    std::vector<const ImageSample *> sorted;
    sorted.reserve(m_samples.size());
    for (const ImageSample &sample : m_samples)
        sorted.push_back(&sample);
    std::sort(sorted.begin(), sorted.end(), [](const ImageSample *a, const ImageSample *b) {
        return a->relativePath != b->relativePath ? a->relativePath < b->relativePath : a->label < b->label;
    });
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const ImageSample *sample : sorted) {
        const QString line = sample->relativePath + QLatin1Char('\t') + QString::number(sample->bytes) +
                             QLatin1Char('\t') + m_classes.value(sample->label) + QLatin1Char('\n');
        hash.addData(line.toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex());
}

QJsonObject ImageDataset::summaryJson() const
{
    QJsonArray classes;
    const std::vector<qint64> counts = countsPerClass();
    for (qsizetype c = 0; c < m_classes.size(); ++c)
        classes.append(QJsonObject{{QStringLiteral("name"), m_classes[c]},
                                   {QStringLiteral("images"), counts[static_cast<std::size_t>(c)]}});
    QJsonObject json{{QStringLiteral("format"), formatName()},
                     {QStringLiteral("root"), QDir::toNativeSeparators(m_root)},
                     {QStringLiteral("classes"), classes},
                     {QStringLiteral("images"), static_cast<qint64>(m_samples.size())},
                     {QStringLiteral("predefined_split"), hasPredefinedSplit()},
                     {QStringLiteral("sha256"), dataHash()}};
    if (!m_description.isEmpty())
        json.insert(QStringLiteral("description"), m_description);
    return json;
}

}  // namespace dw::imageclass
