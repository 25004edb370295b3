#include "plugins/imageclass/train/training_data.h"

#include "core/io/file_names.h"

namespace dw::imageclass {

namespace {
std::vector<ImageSample> samplesAt(const ImageDataset &dataset, const std::vector<int> &positions)
{
    std::vector<ImageSample> samples;
    samples.reserve(positions.size());
    for (int position : positions)
        samples.push_back(dataset.samples().at(static_cast<std::size_t>(position)));
    return samples;
}
}  // namespace

Result<TrainingData> TrainingData::load(const TrainRequest &request, JobContext &context)
{
    Result<ImageDataset> dataset = ImageDataset::open(request.dataPath);
    if (!dataset)
        return dataset.error();
    TrainingData data;
    data.dataset = std::move(dataset).value();

    SplitFractions fractions;
    fractions.validation = request.valFraction;
    fractions.test = request.testFraction;
    fractions.train = 1.0 - request.valFraction - request.testFraction;
    Result<DatasetSplit> split = data.dataset.split(fractions, request.seed);
    if (!split)
        return split.error();
    data.split = std::move(split).value();
    if (data.split.validation.empty())
        return failure(QStringLiteral("no images are left to validate on (%1 images in all): add images, or raise the "
                                      "validation fraction")
                           .arg(data.dataset.size()),
                       QStringLiteral("val-fraction"));
    data.train = samplesAt(data.dataset, data.split.train);
    data.validation = samplesAt(data.dataset, data.split.validation);
    data.test = samplesAt(data.dataset, data.split.test);

    DatasetReport::Options options;
    options.decode = false;  // headers only: seconds for tens of thousands of files
    data.report = DatasetReport::build(data.dataset, &data.split, options);
    context.log(QStringLiteral("dataset %1 (%2): %3 classes, %4 images; split %5 train / %6 validation / %7 test%8")
                    .arg(data.dataset.root(), data.dataset.formatName())
                    .arg(data.dataset.classCount())
                    .arg(data.dataset.size())
                    .arg(data.train.size())
                    .arg(data.validation.size())
                    .arg(data.test.size())
                    .arg(data.dataset.hasPredefinedSplit() ? QStringLiteral(" (the dataset's own)") : QString()));
    for (const QString &line : data.report.toText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        context.log(line);
    if (const UndecodableNames odd = undecodableNames(data.dataset.root(), true); odd.count > 0)
        context.log(QStringLiteral("warning: %1 file(s) in %2, such as '%3', were left out: %4")
                        .arg(odd.count)
                        .arg(data.dataset.root(), odd.example, undecodableAdvice(data.dataset.root())));
    if (data.report.unreadable.size() == data.dataset.size())
        return failure(QStringLiteral("none of the %1 images of %2 can be read (first: %3: %4); check the files")
                           .arg(data.dataset.size())
                           .arg(request.dataPath, data.report.unreadable.front().relativePath,
                                data.report.unreadable.front().reason),
                       QStringLiteral("data"));
    // A class none of whose images can be read would be trained on nothing and still be
    // scored (on the few test images that could be read): refuse it, naming the class.
    std::vector<qint64> unreadable(static_cast<std::size_t>(data.dataset.classCount()), 0);
    std::vector<const DatasetReport::Unreadable *> firstOf(unreadable.size(), nullptr);
    for (const DatasetReport::Unreadable &u : data.report.unreadable) {
        const auto label = static_cast<std::size_t>(data.dataset.samples().at(static_cast<std::size_t>(u.index)).label);
        ++unreadable[label];
        if (!firstOf[label])
            firstOf[label] = &u;
    }
    const std::vector<qint64> counts = data.dataset.countsPerClass();
    for (std::size_t c = 0; c < unreadable.size(); ++c)
        if (counts[c] > 0 && unreadable[c] == counts[c])
            return failure(
                QStringLiteral("none of the %1 images of class '%2' can be read (first: %3: %4): replace them with "
                               "readable images, or remove the class folder")
                    .arg(counts[c])
                    .arg(data.dataset.classes().at(static_cast<qsizetype>(c)), firstOf[c]->relativePath,
                         firstOf[c]->reason),
                QStringLiteral("data"));
    return data;
}

std::vector<qint64> TrainingData::trainCountsPerClass() const
{
    return dataset.countsPerClass(&split.train);
}

bool TrainingData::allGrey() const
{
    if (report.channels.empty())
        return false;
    for (const auto &[channels, images] : report.channels) {
        if (channels > 2 && images > 0)
            return false;
    }
    return true;
}

QStringList TrainingData::trainPaths() const
{
    QStringList paths;
    paths.reserve(static_cast<qsizetype>(train.size()));
    for (const ImageSample &sample : train)
        paths << sample.path;
    return paths;
}

QJsonObject TrainingData::provenance() const
{
    QJsonObject perClass;
    const std::vector<qint64> counts = dataset.countsPerClass();
    for (int c = 0; c < dataset.classCount(); ++c)
        perClass.insert(dataset.classes().at(c), counts.at(static_cast<std::size_t>(c)));
    return {{QStringLiteral("format"), dataset.formatName()},
            {QStringLiteral("root"), dataset.root()},
            {QStringLiteral("hash"), dataset.dataHash()},
            {QStringLiteral("images"), static_cast<qint64>(dataset.size())},
            {QStringLiteral("per_class"), perClass},
            {QStringLiteral("train"), static_cast<qint64>(train.size())},
            {QStringLiteral("val"), static_cast<qint64>(validation.size())},
            {QStringLiteral("test"), static_cast<qint64>(test.size())},
            {QStringLiteral("skipped"), static_cast<qint64>(report.unreadable.size())}};
}

}  // namespace dw::imageclass
