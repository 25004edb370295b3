#pragma once
// Typed results of a task's predict or train call. Each kind converts to JSON, the form
// in which the CLI prints results and the REST API returns them.
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <variant>

namespace dw {

struct LabelScore {
    QString label;
    double probability = 0.0;
};

struct ClassificationResult {
    struct Item {
        QString input;          // file the prediction is for
        QList<LabelScore> top;  // best first
        QString heatMapPath;    // Grad-CAM image, if one was asked for
    };
    QList<Item> items;
};

struct RasterResult {
    QString path;  // the written raster
    int width = 0;
    int height = 0;
    int bands = 0;
    QJsonObject metadata;  // CRS, geotransform, metrics, ...
};

struct SeriesResult {
    QStringList targets;
    QVector<QString> timestamps;
    QList<QVector<double>> observed;  // one vector per target
    QList<QVector<double>> forecast;
    QList<QVector<double>> lower;  // prediction band, may be empty
    QList<QVector<double>> upper;
    QJsonObject extra;  // alerts, metrics, ...
};

struct FilesResult {
    QStringList paths;
};

struct JsonResult {
    QJsonObject object;
};

using TaskResult = std::variant<JsonResult, ClassificationResult, RasterResult, SeriesResult, FilesResult>;

QString taskResultKind(const TaskResult &result);  // "json", "classification", "raster", "series", "files"
QJsonObject taskResultToJson(const TaskResult &result);

}  // namespace dw

Q_DECLARE_METATYPE(dw::TaskResult)
