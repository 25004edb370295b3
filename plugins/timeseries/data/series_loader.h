#pragma once
// Reads a CSV/TSV file for forecasting: the table (TableReader), the chosen targets and
// extra inputs (SeriesPreparation::select) with their gaps filled, and a summary of what
// was found and done, for the log and the module's training_data.
#include "core/io/series_preparation.h"
#include "core/io/table_reader.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace dw::timeseries {

struct LoadedSeries {
    TableImport import;
    SeriesSet set;                   // levels, gaps filled, in time order
    std::vector<FillSummary> fills;  // one per column of set.featureNames()
    // targetFilled[k][row]: the value of target k at row was missing (empty, text, NaN, inf)
    // and is the fill's, not an observation.
    std::vector<std::vector<bool>> targetFilled;

    qint64 filledValues() const;
    // {"format": "csv", "file", "rows", "columns", "time_column", "time_format", "sampling",
    //  "filled": {...}, "warnings": [...], "layout": layoutJson()}
    QJsonObject provenance() const;
    // A line for the log: "1749-01 … 2013-09, 3177 monthly rows, 0 gaps filled".
    QString describe() const;
    // What the user must see on screen: the import's warnings (rows merged, dropped, sorted)
    // and the filled values, one line each.
    QStringList notices() const;
};

// The file's line layout, for reading new rows one line at a time (CsvLineParser): {"delimiter",
// "decimal", "header", "file_columns", "time_column", "time_source_columns", "time_format"}.
QJsonObject layoutJson(const ImportReport &report);

class SeriesLoader {
public:
    // targets: at least one column name; inputs: extra columns read but never forecast.
    // The field of an error is "csv", "target" or "inputs".
    static Result<LoadedSeries> load(const QString &path, const QStringList &targets, const QStringList &inputs = {},
                                     FillMethod fill = FillMethod::Linear);
    // The same on an import already read (e.g. text held in memory).
    static Result<LoadedSeries> fromImport(TableImport import, const QStringList &targets,
                                           const QStringList &inputs = {}, FillMethod fill = FillMethod::Linear);
};

}  // namespace dw::timeseries
