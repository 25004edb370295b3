#include "core/io/import_report.h"

#include <QJsonArray>

namespace dw {

QJsonObject ColumnReport::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("source_index"), sourceIndex},
                  {QStringLiteral("missing"), double(missing)},
                  {QStringLiteral("non_numeric"), double(nonNumeric)}};
    if (nonNumeric > 0) {
        o.insert(QStringLiteral("first_non_numeric_line"), double(firstNonNumericLine));
        o.insert(QStringLiteral("first_non_numeric_text"), firstNonNumericText);
    }
    if (filled > 0)
        o.insert(QStringLiteral("filled"), double(filled));
    return o;
}

QString SamplingReport::describe() const
{
    QString step;
    if (unit == TimeUnit::Row)
        return QStringLiteral("no time column: rows numbered");
    if (steps == 0)
        return QStringLiteral("a single time stamp: no sampling step");
    if (businessDays) {
        step = QStringLiteral("business days");
    } else if (medianStep == 1) {
        step = QStringLiteral("every ") + TimestampParser::unitName(unit);
    } else {
        step = QStringLiteral("every %1 %2s").arg(medianStep, 0, 'g', 6).arg(TimestampParser::unitName(unit));
    }
    if (irregularSteps == 0)
        return step + QStringLiteral(", regular");
    return step + QStringLiteral(", %1 of %2 steps irregular (from %3 to %4 %5s)")
                      .arg(irregularSteps)
                      .arg(steps)
                      .arg(smallestStep, 0, 'g', 6)
                      .arg(largestStep, 0, 'g', 6)
                      .arg(TimestampParser::unitName(unit));
}

QJsonObject SamplingReport::toJson() const
{
    QJsonArray rows;
    for (const qint64 r : firstIrregularRows)
        rows.append(double(r));
    return {{QStringLiteral("unit"), TimestampParser::unitName(unit)},
            {QStringLiteral("business_days"), businessDays},
            {QStringLiteral("median_step"), medianStep},
            {QStringLiteral("median_step_seconds"), medianStepSeconds},
            {QStringLiteral("smallest_step"), smallestStep},
            {QStringLiteral("largest_step"), largestStep},
            {QStringLiteral("steps"), double(steps)},
            {QStringLiteral("irregular_steps"), double(irregularSteps)},
            {QStringLiteral("first_irregular_rows"), rows},
            {QStringLiteral("regular"), regular()},
            {QStringLiteral("description"), describe()}};
}

QJsonObject ImportReport::toJson() const
{
    QJsonArray cols;
    for (const ColumnReport &c : columns)
        cols.append(c.toJson());
    QJsonObject o{{QStringLiteral("source"), source},
                  {QStringLiteral("bytes"), double(bytes)},
                  {QStringLiteral("delimiter"), delimiter},
                  {QStringLiteral("header"), header},
                  {QStringLiteral("decimal"), QString(decimal)},
                  {QStringLiteral("comment_lines"), commentLines},
                  {QStringLiteral("data_lines"), double(dataLines)},
                  {QStringLiteral("rows"), double(rows)},
                  {QStringLiteral("time_column"), timeColumn},
                  {QStringLiteral("time_source_columns"), QJsonArray::fromStringList(timeSourceColumns)},
                  {QStringLiteral("time_format"), TimestampParser::formatId(timeFormat)},
                  {QStringLiteral("time_format_name"), TimestampParser::formatName(timeFormat)},
                  {QStringLiteral("unreadable_times"), double(unreadableTimes)},
                  {QStringLiteral("file_columns"), QJsonArray::fromStringList(fileColumns)},
                  {QStringLiteral("columns"), cols},
                  {QStringLiteral("skipped_columns"), QJsonArray::fromStringList(skippedColumns)},
                  {QStringLiteral("sorted"), wasSorted},
                  {QStringLiteral("out_of_order"), double(outOfOrder)},
                  {QStringLiteral("duplicate_times"), double(duplicateTimes)},
                  {QStringLiteral("duplicate_policy"), duplicatePolicy},
                  {QStringLiteral("sampling"), sampling.toJson()},
                  {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
    if (unreadableTimes > 0)
        o.insert(QStringLiteral("first_unreadable_time_line"), double(firstUnreadableTimeLine));
    return o;
}

}  // namespace dw
