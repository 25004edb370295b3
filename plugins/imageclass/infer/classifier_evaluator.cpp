#include "plugins/imageclass/infer/classifier_evaluator.h"

#include "core/util/file_commit.h"

#include "core/ml/torch_compat.h"
#include "plugins/imageclass/data/batch_loader.h"
#include "plugins/imageclass/infer/classifier_predictor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSaveFile>
#include <QThread>

#include <algorithm>
#include <optional>

namespace dw::imageclass {
namespace {

// Dataset label index -> module label index, by class name.
Result<std::vector<int>> mapClasses(const QStringList &datasetClasses, const QStringList &moduleLabels,
                                    const std::vector<ImageSample> &samples)
{
    std::vector<bool> used(static_cast<size_t>(datasetClasses.size()), false);
    for (const ImageSample &s : samples) {
        if (s.label < 0 || s.label >= datasetClasses.size())
            return failure(QStringLiteral("%1 has label %2, outside the dataset's %3 classes")
                               .arg(s.origin.isEmpty() ? s.path : s.origin)
                               .arg(s.label)
                               .arg(datasetClasses.size()),
                           QStringLiteral("data"));
        used[static_cast<size_t>(s.label)] = true;
    }
    std::vector<int> map(static_cast<size_t>(datasetClasses.size()), -1);
    QStringList unknown;
    for (qsizetype c = 0; c < datasetClasses.size(); ++c) {
        map[static_cast<size_t>(c)] = static_cast<int>(moduleLabels.indexOf(datasetClasses.at(c)));
        if (map[static_cast<size_t>(c)] < 0 && used[static_cast<size_t>(c)])
            unknown << datasetClasses.at(c);
    }
    if (!unknown.isEmpty())
        return failure(
            QStringLiteral("the data has classes the module was not trained on: %1; the module knows %2. "
                           "Evaluate on data of the module's classes, or re-train the module on these classes")
                .arg(unknown.join(QStringLiteral(", ")), moduleLabels.join(QStringLiteral(", "))),
            QStringLiteral("data"));
    return map;
}

QString csvHeader(const QStringList &labels)
{
    QStringList header{QStringLiteral("file"), QStringLiteral("truth"), QStringLiteral("prediction")};
    for (const QString &label : labels)
        header << csvField(QStringLiteral("p_") + label);
    return header.join(QLatin1Char(',')) + QLatin1Char('\n');
}

}  // namespace

QJsonObject EvaluationReport::toJson() const
{
    QJsonObject json = report.toJson();
    json.insert(QStringLiteral("evaluated"), evaluated);
    json.insert(QStringLiteral("skipped"), skipped);
    if (!predictionsPath.isEmpty())
        json.insert(QStringLiteral("predictions"), predictionsPath);
    return json;
}

Result<EvaluationReport> evaluateClassifier(LoadedClassifier &classifier, const std::vector<ImageSample> &samples,
                                            const QStringList &datasetClasses, const QString &predictionsCsvPath,
                                            JobContext &context, const EvaluateOptions &options)
{
    QElapsedTimer timer;
    timer.start();
    if (samples.empty())
        return failure(QStringLiteral("there are no images to evaluate on; check the dataset and its test split"),
                       QStringLiteral("data"));
    if (options.batchSize < 1 || options.batchSize > 4096)
        return failure(QStringLiteral("must be between 1 and 4096, not %1").arg(options.batchSize),
                       QStringLiteral("batch"));
    const QStringList &labels = classifier.labels();
    Result<std::vector<int>> map = mapClasses(datasetClasses, labels, samples);
    if (!map)
        return map.error();
    compat::intraOpThreads();

    std::vector<ImageSample> mapped = samples;
    for (ImageSample &s : mapped)
        s.label = (*map)[static_cast<size_t>(s.label)];

    std::optional<QSaveFile> csv;
    if (!predictionsCsvPath.isEmpty()) {
        QDir().mkpath(QFileInfo(predictionsCsvPath).absolutePath());
        csv.emplace(predictionsCsvPath);
        if (!csv->open(QIODevice::WriteOnly | QIODevice::Text) || csv->write(csvHeader(labels).toUtf8()) < 0)
            return failure(QStringLiteral("cannot write %1 (%2); choose a writable place for the predictions")
                               .arg(predictionsCsvPath, csv->errorString()),
                           QStringLiteral("predictions"));
    }

    ClassificationMetrics metrics(labels);
    LoaderOptions loaderOptions;
    loaderOptions.batchSize = options.batchSize;
    loaderOptions.threads = options.threads > 0 ? options.threads : std::clamp(QThread::idealThreadCount(), 1, 4);
    loaderOptions.prefetch = 2;
    loaderOptions.shuffle = false;
    loaderOptions.augment = false;
    BatchLoader loader(mapped, classifier.pipeline(), loaderOptions);
    loader.startEpoch(0);
    qint64 done = 0;
    const int n = static_cast<int>(labels.size());
    while (std::optional<Batch> batch = loader.next()) {
        if (context.isCancelled())
            return failure(QStringLiteral("evaluation cancelled after %1 of %2 images").arg(done).arg(samples.size()));
        Result<torch::Tensor> probabilities = classifier.probabilities(batch->images, 1, options.precision);
        if (!probabilities)
            return probabilities.error();
        const torch::Tensor p = probabilities->contiguous();
        const float *data = p.data_ptr<float>();
        QByteArray rows;
        for (int64_t i = 0; i < batch->size(); ++i) {
            const int64_t position = batch->indices[i].item<int64_t>();
            const int truth = static_cast<int>(batch->labels[i].item<int64_t>());
            const std::vector<float> row(data + i * n, data + (i + 1) * n);
            metrics.add(truth, row);
            if (!csv)
                continue;
            const int prediction = static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
            const ImageSample &sample = mapped[static_cast<size_t>(position)];
            QStringList fields{csvField(sample.relativePath.isEmpty() ? sample.path : sample.relativePath),
                               csvField(labels.at(truth)), csvField(labels.at(prediction))};
            for (float v : row)
                fields << QString::number(v, 'g', 6);
            rows += fields.join(QLatin1Char(',')).toUtf8() + '\n';
        }
        if (csv && csv->write(rows) != rows.size())
            return failure(QStringLiteral("writing %1 failed (%2)").arg(predictionsCsvPath, csv->errorString()),
                           QStringLiteral("predictions"));
        done += batch->size() + batch->skipped;
        context.setProgress(done, static_cast<qint64>(samples.size()),
                            QStringLiteral("image %1/%2").arg(done).arg(samples.size()));
    }
    if (!loader.error().isEmpty())
        return failure(loader.error());

    EvaluationReport out;
    for (const SkippedSample &s : loader.skipped()) {
        out.skippedImages.push_back({s.path, s.reason});
        context.log(QStringLiteral("skipped %1: %2").arg(s.path, s.reason));
    }
    out.report = metrics.report();
    out.evaluated = metrics.count();
    out.skipped = static_cast<qint64>(out.skippedImages.size());
    if (out.evaluated == 0)
        return failure(QStringLiteral("none of the %1 images could be read (first: %2: %3)")
                           .arg(samples.size())
                           .arg(out.skippedImages.empty() ? QString() : out.skippedImages.front().path,
                                out.skippedImages.empty() ? QString() : out.skippedImages.front().reason),
                       QStringLiteral("data"));
    if (csv) {
        if (Result<void> committed = commitFile(*csv, QStringLiteral("the predictions"), QStringLiteral("predictions"));
            !committed)
            return committed.error();
        out.predictionsPath = QFileInfo(predictionsCsvPath).absoluteFilePath();
    }
    if (out.skipped > 0)
        context.log(
            QStringLiteral("%1 of %2 images could not be read and were skipped").arg(out.skipped).arg(samples.size()));
    out.seconds = timer.elapsed() / 1000.0;
    return out;
}

}  // namespace dw::imageclass
