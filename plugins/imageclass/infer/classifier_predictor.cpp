#include "plugins/imageclass/infer/classifier_predictor.h"

#include "core/ml/torch_compat.h"
#include "plugins/imageclass/data/batch_loader.h"
#include "plugins/imageclass/infer/cam_overlay.h"
#include "plugins/imageclass/infer/grad_cam.h"
#include "plugins/imageclass/infer/tta_views.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QThread>

#include <algorithm>
#include <optional>

namespace dw::imageclass {
namespace {

// Enough for the reader to see what kind of problem it is; the job log has them all.
QString someReasons(const std::vector<SkippedImage> &skipped, size_t count = 3)
{
    QStringList lines;
    for (size_t i = 0; i < skipped.size() && i < count; ++i)
        lines << QStringLiteral("%1: %2").arg(skipped[i].path, skipped[i].reason);
    if (skipped.size() > count)
        lines << QStringLiteral("... and %1 more").arg(skipped.size() - count);
    return lines.join(QStringLiteral("; "));
}

int decodingThreads(int requested)
{
    return requested > 0 ? requested : std::clamp(QThread::idealThreadCount(), 1, 4);
}

// <basename>_cam.png, with _2, _3... when two inputs share a base name (a/x.jpg, b/x.jpg).
QString camFileName(const QString &input, QHash<QString, int> &used)
{
    const QString base = QFileInfo(input).completeBaseName();
    const int n = ++used[base];
    return n == 1 ? base + QStringLiteral("_cam.png") : QStringLiteral("%1_%2_cam.png").arg(base).arg(n);
}

Result<void> checkOptions(const PredictOptions &options)
{
    if (options.top < 1)
        return failure(QStringLiteral("must be at least 1: how many labels to give per image"), QStringLiteral("top"));
    if (options.tta < 1 || options.tta > testTimeViewCount())
        return failure(QStringLiteral("takes 1 (off) to %1 views, not %2").arg(testTimeViewCount()).arg(options.tta),
                       QStringLiteral("tta"));
    if (options.batchSize < 1 || options.batchSize > 4096)
        return failure(QStringLiteral("must be between 1 and 4096, not %1").arg(options.batchSize),
                       QStringLiteral("batch"));
    if (!options.camDirectory.isEmpty() && !QDir().mkpath(options.camDirectory))
        return failure(QStringLiteral("the folder %1 cannot be created; choose a writable folder for the heat maps")
                           .arg(options.camDirectory),
                       QStringLiteral("cam"));
    return success();
}

}  // namespace

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

Result<ClassificationResult> predictImages(LoadedClassifier &classifier, const QStringList &paths,
                                           const PredictOptions &options, JobContext &context,
                                           PredictionSummary *summary)
{
    QElapsedTimer timer;
    timer.start();
    if (Result<void> ok = checkOptions(options); !ok)
        return ok.error();
    if (paths.isEmpty())
        return failure(QStringLiteral("no images given; name image files or folders"), QStringLiteral("inputs"));
    compat::intraOpThreads();  // this (job) thread uses the configured intra-op threads

    ImageInputs inputs = collectImageFiles(paths);
    std::vector<ImageSample> samples;
    for (const QString &file : std::as_const(inputs.files))
        samples.push_back(ImageSample{file, file, 0, 0, Subset::Unassigned, {}});

    const int top = std::min<int>(options.top, static_cast<int>(classifier.labels().size()));
    const qsizetype camClass = options.camClass.isEmpty() ? -1 : classifier.labels().indexOf(options.camClass);
    if (!options.camClass.isEmpty() && camClass < 0)
        return failure(QStringLiteral("the module has no class '%1'; its classes are %2")
                           .arg(options.camClass, classifier.labels().join(QStringLiteral(", "))),
                       QStringLiteral("cam-class"));
    std::vector<std::optional<ClassificationResult::Item>> items(samples.size());
    QHash<QString, int> camNames;
    qint64 done = 0;
    if (!samples.empty()) {
        LoaderOptions loaderOptions;
        loaderOptions.batchSize = options.batchSize;
        loaderOptions.threads = decodingThreads(options.threads);
        loaderOptions.prefetch = 2;
        loaderOptions.shuffle = false;
        loaderOptions.augment = false;
        BatchLoader loader(samples, classifier.pipeline(), loaderOptions);
        loader.startEpoch(0);
        while (std::optional<Batch> batch = loader.next()) {
            if (context.isCancelled())
                return failure(
                    QStringLiteral("prediction cancelled after %1 of %2 images").arg(done).arg(samples.size()));
            Result<torch::Tensor> probabilities =
                classifier.probabilities(batch->images, options.tta, options.precision);
            if (!probabilities)
                return probabilities.error();
            const auto [values, indices] = probabilities->topk(top, 1);
            const auto valueData = values.accessor<float, 2>();
            const auto indexData = indices.accessor<int64_t, 2>();
            torch::Tensor maps;
            if (!options.camDirectory.isEmpty()) {
                const torch::Tensor classes =
                    camClass < 0 ? indices.select(1, 0)
                                 : torch::full({batch->size()}, static_cast<int64_t>(camClass), torch::kInt64);
                Result<torch::Tensor> cams = classifier.gradCam(batch->images, classes);
                if (!cams)
                    return cams.error();
                maps = cams->to(torch::kCPU);
            }
            for (int64_t i = 0; i < batch->size(); ++i) {
                const int64_t position = batch->indices[i].item<int64_t>();
                ClassificationResult::Item item;
                item.input = samples[static_cast<size_t>(position)].path;
                for (int k = 0; k < top; ++k)
                    item.top.append({classifier.labels().at(indexData[i][k]), static_cast<double>(valueData[i][k])});
                if (maps.defined()) {
                    const QString out = QDir(options.camDirectory).absoluteFilePath(camFileName(item.input, camNames));
                    if (Result<void> ok =
                            writeCamOverlay(item.input, camToMat(maps[i]), classifier.pipeline().options(), out);
                        !ok)
                        return ok.error();
                    item.heatMapPath = out;
                }
                items[static_cast<size_t>(position)] = std::move(item);
            }
            done += batch->size() + batch->skipped;
            context.setProgress(done, static_cast<qint64>(samples.size()),
                                QStringLiteral("image %1/%2").arg(done).arg(samples.size()));
        }
        if (!loader.error().isEmpty())
            return failure(loader.error());
        for (const SkippedSample &s : loader.skipped())
            inputs.problems.push_back({s.path, s.reason});
    }

    ClassificationResult result;
    for (std::optional<ClassificationResult::Item> &item : items)
        if (item)
            result.items.append(std::move(*item));
    for (const SkippedImage &s : inputs.problems)
        context.log(QStringLiteral("skipped %1: %2").arg(s.path, s.reason));
    if (!inputs.problems.empty())
        context.log(QStringLiteral("%1 of %2 inputs could not be classified and were skipped")
                        .arg(inputs.problems.size())
                        .arg(inputs.problems.size() + static_cast<size_t>(result.items.size())));
    if (summary) {
        summary->predicted = result.items.size();
        summary->skipped = static_cast<qint64>(inputs.problems.size());
        summary->skippedImages = inputs.problems;
        summary->seconds = timer.elapsed() / 1000.0;
    }
    if (result.items.isEmpty())
        return failure(QStringLiteral("no image could be classified: %1").arg(someReasons(inputs.problems)),
                       QStringLiteral("inputs"));
    return result;
}

QString classificationToCsv(const ClassificationResult &result)
{
    qsizetype k = 0;
    for (const ClassificationResult::Item &item : result.items)
        k = std::max(k, item.top.size());
    QStringList header{QStringLiteral("path")};
    for (qsizetype i = 1; i <= k; ++i)
        header << QStringLiteral("label_%1").arg(i) << QStringLiteral("probability_%1").arg(i);
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const ClassificationResult::Item &item : result.items) {
        QStringList row{csvField(item.input)};
        for (qsizetype i = 0; i < k; ++i) {
            if (i < item.top.size())
                row << csvField(item.top.at(i).label) << QString::number(item.top.at(i).probability, 'g', 6);
            else
                row << QString() << QString();
        }
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

}  // namespace dw::imageclass
