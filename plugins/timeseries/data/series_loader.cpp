#include "plugins/timeseries/data/series_loader.h"

#include <QFileInfo>
#include <QJsonArray>

#include <cmath>

namespace dw::timeseries {

QJsonObject layoutJson(const ImportReport &report)
{
    return {{QStringLiteral("delimiter"), report.delimiter},
            {QStringLiteral("decimal"), QString(report.decimal)},
            {QStringLiteral("header"), report.header},
            {QStringLiteral("file_columns"), QJsonArray::fromStringList(report.fileColumns)},
            {QStringLiteral("time_column"), report.timeColumn},
            {QStringLiteral("time_source_columns"), QJsonArray::fromStringList(report.timeSourceColumns)},
            {QStringLiteral("time_format"), TimestampParser::formatId(report.timeFormat)}};
}

qint64 LoadedSeries::filledValues() const
{
    qint64 total = 0;
    for (const FillSummary &fill : fills)
        total += fill.total();
    return total;
}

QJsonObject LoadedSeries::provenance() const
{
    const ImportReport &report = import.report;
    QJsonObject filled;
    for (const FillSummary &fill : fills)
        filled.insert(fill.column, fill.toJson());
    return {{QStringLiteral("format"), QStringLiteral("csv")},
            {QStringLiteral("file"), QFileInfo(report.source).fileName()},
            {QStringLiteral("rows"), report.rows},
            {QStringLiteral("columns"), QJsonArray::fromStringList(set.featureNames())},
            {QStringLiteral("time_column"), report.timeColumn},
            {QStringLiteral("time_format"), TimestampParser::formatId(report.timeFormat)},
            {QStringLiteral("sampling"), report.sampling.toJson()},
            {QStringLiteral("filled"), filled},
            {QStringLiteral("duplicate_times"), report.duplicateTimes},
            {QStringLiteral("out_of_order"), report.outOfOrder},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)},
            {QStringLiteral("layout"), layoutJson(report)}};
}

QString LoadedSeries::describe() const
{
    const Table &table = import.table;
    const qsizetype rows = set.length();
    const QString span =
        rows > 0 ? QStringLiteral("%1 … %2, ").arg(table.timeText(0), table.timeText(rows - 1)) : QString();
    return QStringLiteral("%1%2 rows (%3), %4 missing value(s) filled")
        .arg(span)
        .arg(rows)
        .arg(import.report.sampling.describe())
        .arg(filledValues());
}

QStringList LoadedSeries::notices() const
{
    QStringList lines = import.report.warnings;
    for (const FillSummary &fill : fills)
        if (fill.total() > 0)
            lines << QStringLiteral(
                         "Column \"%1\": %2 missing value(s) (empty, text, NaN or infinite) were filled in; they are "
                         "marked as filled, never shown or scored as observations.")
                         .arg(fill.column)
                         .arg(fill.total());
    return lines;
}

Result<LoadedSeries> SeriesLoader::load(const QString &path, const QStringList &targets, const QStringList &inputs,
                                        FillMethod fill)
{
    if (path.isEmpty())
        return failure(QStringLiteral("no data: give a CSV or TSV file of time series"), QStringLiteral("csv"));
    if (!QFileInfo(path).isFile())
        return failure(QStringLiteral("%1 is not a file: give a CSV or TSV file of time series").arg(path),
                       QStringLiteral("csv"));
    Result<TableImport> import = TableReader::readFile(path);
    if (!import)
        return Error::at(QStringLiteral("csv"), import.error().message);
    return fromImport(std::move(import).value(), targets, inputs, fill);
}

Result<LoadedSeries> SeriesLoader::fromImport(TableImport import, const QStringList &targets, const QStringList &inputs,
                                              FillMethod fill)
{
    if (targets.isEmpty())
        return failure(QStringLiteral("no target: name the column(s) to forecast, one of %1")
                           .arg(import.table.names.join(QStringLiteral(", "))),
                       QStringLiteral("target"));
    LoadedSeries loaded;
    Result<SeriesSet> set = SeriesPreparation::select(import.table, targets, inputs);
    if (!set) {
        // select() names no field; the unknown name is a target's or an input's.
        const QString message = set.error().message;
        bool aboutInput = false;
        for (const QString &input : inputs)
            aboutInput = aboutInput || message.contains(QLatin1Char('"') + input + QLatin1Char('"'));
        return Error::at(aboutInput ? QStringLiteral("inputs") : QStringLiteral("target"), message);
    }
    loaded.set = std::move(set).value();
    for (const std::vector<double> &target : loaded.set.targets) {
        std::vector<bool> missing(target.size());
        for (std::size_t r = 0; r < target.size(); ++r)
            missing[r] = !std::isfinite(target[r]);
        loaded.targetFilled.push_back(std::move(missing));
    }
    Result<std::vector<FillSummary>> fills = SeriesPreparation::fill(loaded.set, fill);
    if (!fills)
        return Error::at(QStringLiteral("target"), fills.error().message);
    loaded.fills = std::move(fills).value();
    loaded.import = std::move(import);
    return loaded;
}

}  // namespace dw::timeseries
