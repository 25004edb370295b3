#pragma once
// A forecast as the Results page shows it: the plugin's SeriesResult plus where each row
// lies on the time axis (seconds since 1970 for a time column, else the row number, the
// future rows one median step apart after the last) and the alerts read back from the
// result with their place on that axis, the decimals each target is written with
// (SeriesFormat) and, when the file forecast is the one the module was trained on, the rows
// of its training, validation and test periods. Built in the forecast job, copied to the GUI
// thread.
#include "core/io/table.h"
#include "core/ml/anomaly_detector.h"
#include "core/task/task_result.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace dw {

// Rows [begin, end) of the data that the module's training used for one purpose.
struct ForecastPeriod {
    QString name;  // "train", "validation", "test"
    qsizetype begin = 0;
    qsizetype end = 0;  // exclusive
};

struct ForecastData {
    QString module;  // the module's id
    QString moduleDirectory;
    SeriesResult result;
    QVector<double> x;           // one per result.timestamps entry
    qsizetype observedRows = 0;  // rows of the data; the rest are the future
    QList<AnomalyAlert> alerts;  // alert.time is its x
    TimeFormat timeFormat = TimeFormat::None;
    bool hasTime = false;
    QList<int> decimals;            // one per result.targets entry
    QList<ForecastPeriod> periods;  // empty unless the data is the module's training file

    // The decimals of target k's values (2 when unknown).
    int decimalsOf(qsizetype k) const { return decimals.value(k, 2); }
    // Where row `row` begins on the x axis: half-way from the row before, so that the
    // periods meet between two rows (row 0 and row observedRows: half a step outside).
    double rowEdge(qsizetype row) const;

    // table: the same file as read for the preview (its time values give the x axis);
    // stepSeconds: the median sampling step, for the future rows.
    static ForecastData build(SeriesResult result, const Table &table, double stepSeconds);
    // An alert of the result's extra["alerts"] (its JSON form) back as a value; the time
    // text is looked up in the result's time stamps to place it.
    static AnomalyAlert alertFromJson(const QJsonObject &json);
    // The periods of a module's "training_data" (its "split": rows of the file it names),
    // when the data forecast is that file (the same name and row count); else none.
    static QList<ForecastPeriod> periodsOf(const QJsonObject &trainingData, const QString &csvPath, qsizetype rows);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::ForecastData)
