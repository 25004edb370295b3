#pragma once
// A forecast as the Results page shows it: the plugin's SeriesResult plus where each row
// lies on the time axis (seconds since 1970 for a time column, else the row number, the
// future rows one median step apart after the last) and the alerts read back from the
// result with their place on that axis. Built in the forecast job, copied to the GUI thread.
#include "core/io/table.h"
#include "core/ml/anomaly_detector.h"
#include "core/task/task_result.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace dw {

struct ForecastData {
    QString module;  // the module's id
    QString moduleDirectory;
    SeriesResult result;
    QVector<double> x;           // one per result.timestamps entry
    qsizetype observedRows = 0;  // rows of the data; the rest are the future
    QList<AnomalyAlert> alerts;  // alert.time is its x
    TimeFormat timeFormat = TimeFormat::None;
    bool hasTime = false;

    // table: the same file as read for the preview (its time values give the x axis);
    // stepSeconds: the median sampling step, for the future rows.
    static ForecastData build(SeriesResult result, const Table &table, double stepSeconds);
    // An alert of the result's extra["alerts"] (its JSON form) back as a value; the time
    // text is looked up in the result's time stamps to place it.
    static AnomalyAlert alertFromJson(const QJsonObject &json);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::ForecastData)
