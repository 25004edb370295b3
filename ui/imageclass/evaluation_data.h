#pragma once
// An evaluation as the GUI shows it: the report (evaluation.json, as `deepwb evaluate
// --json` prints it) and the images the module got wrong, read from the predictions file
// (file,truth,prediction,p_<label>...) with a thumbnail each. Built on a worker thread.
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dw {

struct MisclassifiedImage {
    QString file;
    QString truth;
    QString prediction;
    QList<LabelScore> scores;  // every class, most probable first
    QImage thumbnail;
};

struct EvaluationData {
    QJsonObject report;
    QList<MisclassifiedImage> misclassified;
    qint64 misclassifiedTotal = 0;  // the list keeps at most kMaxGallery of them
    QString source;                 // what was evaluated: a folder or file, or the module's own test split

    static constexpr int kMaxGallery = 200;
    // Reads the predictions file (may be empty or missing: no gallery) with thumbnails.
    // Relative file names are relative to dataRoot (the evaluated dataset: its folder, or
    // the folder of its CSV/split file), else to the predictions file's folder.
    static Result<QList<MisclassifiedImage>> readMisclassified(const QString &predictionsCsv, qint64 *total = nullptr,
                                                               const QString &dataRoot = {});
    // evaluation.json and predictions.csv of a module folder; an error when there is no evaluation.
    static Result<EvaluationData> loadFromModule(const QString &moduleDirectory);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::EvaluationData)
