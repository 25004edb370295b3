#include "plugins/timeseries/data/stream_layout.h"

#include <QJsonArray>

namespace dw::timeseries {

namespace {

QJsonObject layoutOf(const ForecastModule &module)
{
    return module.manifest.trainingData.value(QStringLiteral("layout")).toObject();
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}

// The format whose id formatId() gives; None for an empty or unknown id.
TimeFormat formatFromId(const QString &id)
{
    for (int f = int(TimeFormat::None); f <= int(TimeFormat::CompactDate); ++f)
        if (TimestampParser::formatId(TimeFormat(f)) == id)
            return TimeFormat(f);
    return TimeFormat::None;
}

}  // namespace

bool StreamLayout::stored(const ForecastModule &module)
{
    return !strings(layoutOf(module).value(QStringLiteral("file_columns"))).isEmpty();
}

Result<ImportReport> StreamLayout::of(const ForecastModule &module)
{
    const QJsonObject layout = layoutOf(module);
    ImportReport report;
    report.source = module.manifest.id;
    report.timeColumn = module.timeColumn;
    report.timeFormat = formatFromId(module.timeFormat);
    if (stored(module)) {
        report.delimiter = layout.value(QStringLiteral("delimiter")).toString();
        const QString decimal = layout.value(QStringLiteral("decimal")).toString();
        report.decimal = decimal.isEmpty() ? QLatin1Char('.') : decimal.at(0);
        report.header = layout.value(QStringLiteral("header")).toBool(true);
        report.fileColumns = strings(layout.value(QStringLiteral("file_columns")));
        report.timeSourceColumns = strings(layout.value(QStringLiteral("time_source_columns")));
        if (layout.contains(QStringLiteral("time_format")))
            report.timeFormat = formatFromId(layout.value(QStringLiteral("time_format")).toString());
        return report;
    }
    // No layout stored: the plain file the trainer's CSVs usually are.
    report.delimiter = QStringLiteral("comma");
    if (report.timeFormat != TimeFormat::None && !module.timeColumn.isEmpty()) {
        if (report.timeFormat == TimeFormat::YearQuarterColumns || report.timeFormat == TimeFormat::YearMonthColumns)
            return failure(
                QStringLiteral("the module %1 does not record the layout of its training file and its time comes "
                               "from two columns (%2): train it again to watch streams with it")
                    .arg(module.manifest.id, module.timeColumn),
                QStringLiteral("module"));
        report.fileColumns << module.timeColumn;
        report.timeSourceColumns << module.timeColumn;
    } else {
        report.timeFormat = TimeFormat::None;
    }
    report.fileColumns += module.featureNames();
    return report;
}

}  // namespace dw::timeseries
