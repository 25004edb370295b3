#include "ui/timeseries/import_summary.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QStringList>

namespace dw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("dw::ImportSummary", text);
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString number(qint64 value)
{
    return QLocale().toString(value);
}

}  // namespace

QString ImportSummary::oneLine(const ImportReport &report)
{
    return tr("%1: %2 rows, %3 numeric column(s), %4")
        .arg(QFileInfo(report.source).fileName(), number(report.rows))
        .arg(report.columns.size())
        .arg(report.sampling.describe());
}

QString ImportSummary::html(const ImportReport &report, const Table &table)
{
    QStringList lines;
    lines << tr("<b>%1</b> — %2 rows × %3 numeric column(s) (%4 data lines, %5 separated%6%7)")
                 .arg(esc(QFileInfo(report.source).fileName()), number(report.rows))
                 .arg(report.columns.size())
                 .arg(number(report.dataLines))
                 .arg(esc(report.delimiter))
                 .arg(report.header ? tr(", with a header") : tr(", no header"))
                 .arg(report.decimal != QLatin1Char('.') ? tr(", decimal comma") : QString());
    if (table.hasTime()) {
        QString time = tr("Time: column <b>%1</b>, %2, from %3 to %4")
                           .arg(esc(report.timeColumn), esc(TimestampParser::formatName(report.timeFormat)),
                                esc(table.timeText(0)), esc(table.timeText(table.rowCount() - 1)));
        lines << time;
    } else {
        lines << tr("Time: no time column was found; rows are numbered from 1.");
    }
    lines << tr("Sampling: %1.").arg(esc(report.sampling.describe()));

    QStringList missing;
    qint64 missingTotal = 0;
    for (const ColumnReport &column : report.columns) {
        missingTotal += column.missing;
        if (column.missing > 0)
            missing << tr("%1 in <b>%2</b>").arg(number(column.missing), esc(column.name));
    }
    if (missingTotal == 0)
        lines << tr("Missing values: none.");
    else
        lines << tr("Missing values: %1 — filled by linear interpolation between their neighbours when a module "
                    "trains or forecasts.")
                     .arg(missing.join(QStringLiteral(", ")));
    if (!report.skippedColumns.isEmpty())
        lines << tr("Text columns left out: %1.").arg(esc(report.skippedColumns.join(QStringLiteral(", "))));
    if (report.unreadableTimes > 0)
        lines << tr("%1 row(s) dropped because their time could not be read (first on line %2).")
                     .arg(number(report.unreadableTimes))
                     .arg(report.firstUnreadableTimeLine);
    if (!report.wasSorted)
        lines << tr("The rows were not in time order: %1 were put in place.").arg(number(report.outOfOrder));
    if (report.duplicateTimes > 0)
        lines << tr("%1 row(s) shared a time stamp with another and were merged (%2).")
                     .arg(number(report.duplicateTimes), esc(report.duplicatePolicy));
    for (const QString &warning : report.warnings)
        lines << QStringLiteral("<span style=\"color:#a05a00\">⚠ %1</span>").arg(esc(warning));
    return lines.join(QStringLiteral("<br>"));
}

}  // namespace dw
