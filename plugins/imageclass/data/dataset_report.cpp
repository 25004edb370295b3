#include "plugins/imageclass/data/dataset_report.h"

#include "core/io/image_reader.h"
#include "plugins/imageclass/data/parallel_for.h"

#include <QDir>
#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace dw::imageclass {
namespace {

struct Scan {
    bool done = false;
    bool readable = false;
    int width = 0, height = 0, channels = 0, bitDepth = 0;
    QString reason;
};

DatasetReport::SizeStats statsOf(std::vector<int> values)
{
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    return {values.front(), values.back(), values[values.size() / 2]};
}

QJsonArray perClassJson(const QStringList &classes, const std::vector<qint64> &counts)
{
    QJsonArray out;
    for (std::size_t c = 0; c < counts.size(); ++c)
        out.append(QJsonObject{{QStringLiteral("class"), classes.value(static_cast<qsizetype>(c))},
                               {QStringLiteral("images"), counts[c]}});
    return out;
}

QJsonObject countsJson(const std::map<int, qint64> &counts)
{
    QJsonObject out;
    for (const auto &[key, n] : counts)
        out.insert(QString::number(key), n);
    return out;
}

}  // namespace

DatasetReport DatasetReport::build(const ImageDataset &dataset, const DatasetSplit *split, const Options &options,
                                   const std::atomic_bool *cancel,
                                   const std::function<void(std::int64_t, std::int64_t)> &progress)
{
    DatasetReport report;
    report.root = QDir::toNativeSeparators(dataset.root());
    report.format = dataset.formatName();
    report.dataHash = dataset.dataHash();
    report.classes = dataset.classes();
    report.images = dataset.countsPerClass();
    report.total = static_cast<qint64>(dataset.size());
    if (split) {
        report.train = dataset.countsPerClass(&split->train);
        report.validation = dataset.countsPerClass(&split->validation);
        report.test = dataset.countsPerClass(&split->test);
    }

    const std::vector<ImageSample> &samples = dataset.samples();
    std::vector<Scan> scans(samples.size());
    std::atomic<std::int64_t> done{0};
    const auto total = static_cast<std::int64_t>(samples.size());
    parallelFor(
        total, options.threads,
        [&](std::int64_t i) {
            Scan &scan = scans[static_cast<std::size_t>(i)];
            const QString &path = samples[static_cast<std::size_t>(i)].path;
            if (options.decode) {
                ImageReadOptions read;
                read.maxSide = options.maxSide;
                if (auto image = ImageReader::read(path, read)) {
                    scan = {true, true, image->width, image->height, image->channels, image->bitDepth, {}};
                } else {
                    scan.reason = image.error().message;
                }
            } else if (auto info = ImageReader::readInfo(path)) {
                if (info->truncated)
                    scan.reason = QStringLiteral("the file is truncated: it ends before its image data does.");
                else if (info->width > options.maxSide || info->height > options.maxSide)
                    scan.reason = QStringLiteral("the image is %1 × %2 pixels, over %3 pixels a side.")
                                      .arg(info->width)
                                      .arg(info->height)
                                      .arg(options.maxSide);
                else
                    scan = {true,           true, info->orientedWidth(), info->orientedHeight(), info->channels,
                            info->bitDepth, {}};
            } else {
                scan.reason = info.error().message;
            }
            scan.done = true;
            const std::int64_t n = done.fetch_add(1) + 1;
            if (progress)
                progress(n, total);
        },
        cancel);

    std::vector<int> widths, heights;
    for (std::size_t i = 0; i < scans.size(); ++i) {
        const Scan &scan = scans[i];
        if (!scan.done)
            continue;
        ++report.scanned;
        if (!scan.readable) {
            report.unreadable.push_back({static_cast<int>(i), samples[i].relativePath, scan.reason});
            continue;
        }
        widths.push_back(scan.width);
        heights.push_back(scan.height);
        if (scan.channels > 0)
            ++report.channels[scan.channels];
        if (scan.bitDepth > 0)
            ++report.bitDepths[scan.bitDepth];
    }
    report.widths = statsOf(widths);
    report.heights = statsOf(std::move(heights));
    report.cancelled = report.scanned < report.total;

    // Problems worth fixing before training.
    if (report.cancelled)
        report.problems.append(
            QStringLiteral("the scan was cancelled after %1 of %2 images.").arg(report.scanned).arg(report.total));
    if (!report.unreadable.empty())
        report.problems.append(
            QStringLiteral("%1 image(s) cannot be read and will be skipped in training (first: %2: %3)")
                .arg(report.unreadable.size())
                .arg(report.unreadable.front().relativePath, report.unreadable.front().reason));
    qint64 smallest = std::numeric_limits<qint64>::max(), largest = 0;
    for (std::size_t c = 0; c < report.images.size(); ++c) {
        smallest = std::min(smallest, report.images[c]);
        largest = std::max(largest, report.images[c]);
        if (report.images[c] < options.fewImages)
            report.problems.append(
                QStringLiteral("class '%1' has only %2 image(s); a few dozen per class is a practical "
                               "minimum, even for re-training.")
                    .arg(report.classes.value(static_cast<qsizetype>(c)))
                    .arg(report.images[c]));
        if (split && c < report.validation.size() && report.validation[c] == 0 && report.images[c] > 1)
            report.problems.append(QStringLiteral("class '%1' has no validation image; its accuracy cannot be checked "
                                                  "during training.")
                                       .arg(report.classes.value(static_cast<qsizetype>(c))));
    }
    if (smallest > 0 && static_cast<double>(largest) / static_cast<double>(smallest) > options.imbalance)
        report.problems.append(QStringLiteral("the classes are imbalanced (%1 to %2 images); consider balanced class "
                                              "weights.")
                                   .arg(smallest)
                                   .arg(largest));
    if (report.channels.size() > 1)
        report.problems.append(QStringLiteral("the images mix channel counts (grey, colour, alpha); they are all "
                                              "converted to the model's channel count."));
    if (!widths.empty() && (report.widths.min < 16 || report.heights.min < 16))
        report.problems.append(QStringLiteral("some images are smaller than 16 pixels a side (smallest %1 × %2).")
                                   .arg(report.widths.min)
                                   .arg(report.heights.min));
    return report;
}

QJsonObject DatasetReport::toJson() const
{
    QJsonArray unreadableJson;
    for (const Unreadable &u : unreadable)
        unreadableJson.append(
            QJsonObject{{QStringLiteral("path"), u.relativePath}, {QStringLiteral("reason"), u.reason}});
    const auto sizeJson = [](const SizeStats &s) {
        return QJsonObject{
            {QStringLiteral("min"), s.min}, {QStringLiteral("max"), s.max}, {QStringLiteral("median"), s.median}};
    };
    QJsonObject json{{QStringLiteral("root"), root},
                     {QStringLiteral("format"), format},
                     {QStringLiteral("sha256"), dataHash},
                     {QStringLiteral("classes"), QJsonArray::fromStringList(classes)},
                     {QStringLiteral("images"), total},
                     {QStringLiteral("scanned"), scanned},
                     {QStringLiteral("cancelled"), cancelled},
                     {QStringLiteral("images_per_class"), perClassJson(classes, images)},
                     {QStringLiteral("unreadable"), unreadableJson},
                     {QStringLiteral("width"), sizeJson(widths)},
                     {QStringLiteral("height"), sizeJson(heights)},
                     {QStringLiteral("channels"), countsJson(channels)},
                     {QStringLiteral("bit_depths"), countsJson(bitDepths)},
                     {QStringLiteral("problems"), QJsonArray::fromStringList(problems)}};
    if (!train.empty()) {
        json.insert(QStringLiteral("split"),
                    QJsonObject{{QStringLiteral("train"), perClassJson(classes, train)},
                                {QStringLiteral("validation"), perClassJson(classes, validation)},
                                {QStringLiteral("test"), perClassJson(classes, test)}});
    }
    return json;
}

QString DatasetReport::toText() const
{
    QStringList lines;
    lines << QStringLiteral("%1 (%2): %3 images in %4 classes").arg(root, format).arg(total).arg(classes.size());
    for (std::size_t c = 0; c < images.size(); ++c) {
        QString line = QStringLiteral("  %1: %2").arg(classes.value(static_cast<qsizetype>(c))).arg(images[c]);
        if (!train.empty())
            line += QStringLiteral(" (train %1, val %2, test %3)").arg(train[c]).arg(validation[c]).arg(test[c]);
        lines << line;
    }
    lines << QStringLiteral("sizes: width %1–%2 (median %3), height %4–%5 (median %6)")
                 .arg(widths.min)
                 .arg(widths.max)
                 .arg(widths.median)
                 .arg(heights.min)
                 .arg(heights.max)
                 .arg(heights.median);
    lines << QStringLiteral("unreadable: %1").arg(unreadable.size());
    for (const Unreadable &u : unreadable)
        lines << QStringLiteral("  %1: %2").arg(u.relativePath, u.reason);
    for (const QString &problem : problems)
        lines << QStringLiteral("problem: ") + problem;
    return lines.join(QLatin1Char('\n'));
}

}  // namespace dw::imageclass
