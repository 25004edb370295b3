#include "ui/imageclass/evaluation_data.h"

#include "ui/imageclass/prediction_batch.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>

namespace dw {

namespace {

// One CSV line into fields: quotes may hold commas and doubled quotes.
QStringList splitCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    fields << field;
    return fields;
}

}  // namespace

Result<QList<MisclassifiedImage>> EvaluationData::readMisclassified(const QString &predictionsCsv, qint64 *total,
                                                                    const QString &dataRoot)
{
    QList<MisclassifiedImage> wrong;
    if (total)
        *total = 0;
    if (predictionsCsv.isEmpty() || !QFileInfo::exists(predictionsCsv))
        return wrong;
    QFile file(predictionsCsv);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return failure(QObject::tr("cannot read the predictions file %1: %2").arg(predictionsCsv, file.errorString()));
    QTextStream in(&file);
    const QStringList header = splitCsvLine(in.readLine());
    if (header.size() < 3 || header.at(0) != QLatin1String("file") || header.at(1) != QLatin1String("truth"))
        return failure(
            QObject::tr("%1 is not a predictions file (file,truth,prediction,p_<class>...)").arg(predictionsCsv));
    QStringList labels;
    for (qsizetype i = 3; i < header.size(); ++i)
        labels << header.at(i).mid(2);  // "p_cat" -> "cat"
    const QFileInfo root(dataRoot);
    const QDir base = dataRoot.isEmpty() || !root.exists() ? QFileInfo(predictionsCsv).absoluteDir()
                      : root.isDir()                       ? QDir(root.absoluteFilePath())
                                                           : root.absoluteDir();
    qint64 count = 0;
    while (!in.atEnd()) {
        const QString line = in.readLine();
        if (line.trimmed().isEmpty())
            continue;
        const QStringList fields = splitCsvLine(line);
        if (fields.size() < 3 || fields.at(1) == fields.at(2))
            continue;
        ++count;
        if (wrong.size() >= kMaxGallery)
            continue;
        MisclassifiedImage image;
        image.file = base.absoluteFilePath(fields.at(0));
        image.truth = fields.at(1);
        image.prediction = fields.at(2);
        for (qsizetype i = 3; i < fields.size() && i - 3 < labels.size(); ++i)
            image.scores.append({labels.at(i - 3), fields.at(i).toDouble()});
        std::stable_sort(image.scores.begin(), image.scores.end(),
                         [](const LabelScore &a, const LabelScore &b) { return a.probability > b.probability; });
        image.thumbnail = PredictionBatch::readThumbnail(image.file);
        wrong.append(std::move(image));
    }
    if (total)
        *total = count;
    return wrong;
}

Result<EvaluationData> EvaluationData::loadFromModule(const QString &moduleDirectory)
{
    const QDir dir(moduleDirectory);
    QFile json(dir.filePath(QStringLiteral("evaluation.json")));
    if (!json.exists())
        return failure(QObject::tr("the module has no evaluation yet: evaluate it on labelled images"));
    if (!json.open(QIODevice::ReadOnly))
        return failure(QObject::tr("cannot read %1: %2").arg(json.fileName(), json.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.readAll(), &error);
    if (!document.isObject())
        return failure(
            QObject::tr("%1 is damaged (%2): evaluate the module again").arg(json.fileName(), error.errorString()));
    EvaluationData data;
    data.report = document.object();
    QString predictions = data.report.value(QStringLiteral("predictions")).toString();
    if (predictions.isEmpty() || !QFileInfo::exists(predictions))
        predictions = dir.filePath(QStringLiteral("predictions.csv"));
    // The evaluated data: named in the report (deepwb evaluate), else the training data of
    // module.json (the evaluation written at training time).
    QString dataRoot = data.report.value(QStringLiteral("data")).toString();
    data.source =
        dataRoot.isEmpty() ? QObject::tr("the test split of the training data") : QDir::toNativeSeparators(dataRoot);
    if (dataRoot.isEmpty()) {
        QFile manifest(dir.filePath(QStringLiteral("module.json")));
        if (manifest.open(QIODevice::ReadOnly))
            dataRoot = QJsonDocument::fromJson(manifest.readAll())
                           .object()
                           .value(QStringLiteral("training_data"))
                           .toObject()
                           .value(QStringLiteral("root"))
                           .toString();
    }
    Result<QList<MisclassifiedImage>> wrong = readMisclassified(predictions, &data.misclassifiedTotal, dataRoot);
    if (wrong)
        data.misclassified = std::move(wrong).value();
    return data;
}

}  // namespace dw
