#pragma once
// What TableReader found and did while importing a table: the dialect, the time column,
// per-column missing values, duplicate and out-of-order time stamps, the sampling step and
// its irregularities, and warnings in plain words. Shown to the user before training and
// stored with a module (toJson), so that a model's data can be told apart later.
#include "core/io/timestamp_parser.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw {

struct ColumnReport {
    QString name;
    int sourceIndex = 0;    // 0-based position in the file
    qint64 missing = 0;     // NaN cells in the table (empty, NA, NaN, null, text), after merging duplicates
    qint64 nonNumeric = 0;  // cells with text that is not a number (counted as missing too)
    qint64 firstNonNumericLine = 0;
    QString firstNonNumericText;
    qint64 filled = 0;  // set by SeriesPreparation when it fills the gaps

    QJsonObject toJson() const;
};

struct SamplingReport {
    TimeUnit unit = TimeUnit::Row;
    bool businessDays = false;  // daily data that skips weekends (Friday → Monday is one step)
    double medianStep = 0;      // in `unit`
    double medianStepSeconds = 0;
    double smallestStep = 0;  // in `unit`
    double largestStep = 0;
    qint64 steps = 0;
    qint64 irregularSteps = 0;               // steps that differ from the median by more than 2 %
    std::vector<qint64> firstIrregularRows;  // rows (0-based, after sorting) where such a step ends, at most 10

    bool regular() const { return irregularSteps == 0; }
    QString describe() const;  // "monthly, regular", "daily (business days), 3 gaps", ...
    QJsonObject toJson() const;
};

struct ImportReport {
    QString source;  // file path, or the name given for in-memory text
    qint64 bytes = 0;
    QString delimiter;  // "comma", "semicolon", "tab", "pipe", "whitespace"
    bool header = true;
    QChar decimal = QLatin1Char('.');
    int commentLines = 0;  // leading '#' lines skipped
    qint64 dataLines = 0;  // records read after the header
    qint64 rows = 0;       // rows in the table after merging duplicates

    QString timeColumn;             // empty without one; "year+quarter" for two merged columns
    QStringList timeSourceColumns;  // the file column(s) the time comes from
    TimeFormat timeFormat = TimeFormat::None;
    qint64 unreadableTimes = 0;  // rows dropped because their time stamp could not be read
    qint64 firstUnreadableTimeLine = 0;

    QStringList fileColumns;            // every column of the file, in file order (for stream parsers)
    std::vector<ColumnReport> columns;  // the numeric columns
    QStringList skippedColumns;         // text columns that are not numbers

    bool wasSorted = true;      // false: the rows were put in time order
    qint64 outOfOrder = 0;      // rows whose time stamp is earlier than the row before
    qint64 duplicateTimes = 0;  // rows merged into another row with the same time stamp
    QString duplicatePolicy;    // "average", "keep-first", "keep-last"

    SamplingReport sampling;
    QStringList warnings;

    QJsonObject toJson() const;
};

}  // namespace dw
