// deepwb predict MODULE FILE|DIR...: labels with probabilities for images, as CSV or JSON;
// deepwb predict MODULE RASTER -o OUT: a super-resolved raster (its description as JSON).
#include "commands.h"
#include "job_runner.h"
#include "module_locator.h"
#include "task_command.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTextStream>

#include <cmath>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

const QStringList kSkip{u"module"_s, u"inputs"_s};

// A dataset name rather than a file: GDAL's subdatasets ("SENTINEL2_L1C:/p/MTD_MSIL1C.xml:20m:EPSG_32633",
// "NETCDF:\"f.nc\":var", "HDF5:...") and virtual file systems ("/vsizip/...").
bool isDatasetName(const QString &input)
{
    static const QRegularExpression prefix(u"^[A-Z][A-Z0-9_]+:"_s);
    return prefix.match(input).hasMatch() || input.startsWith(u"/vsi"_s);
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

// One row per image: its path, then label and probability pairs, best first. The header
// names as many pairs as the longest row has.
QString toCsv(const ClassificationResult &result)
{
    qsizetype pairs = 0;
    for (const ClassificationResult::Item &item : result.items)
        pairs = std::max(pairs, item.top.size());
    QStringList header{u"path"_s};
    for (qsizetype k = 1; k <= pairs; ++k)
        header << u"label_%1"_s.arg(k) << u"probability_%1"_s.arg(k);
    QString csv = header.join(u',') + u'\n';
    for (const ClassificationResult::Item &item : result.items) {
        QStringList row{csvField(item.input)};
        for (const LabelScore &score : item.top)
            row << csvField(score.label) << QString::number(score.probability, 'f', 6);
        csv += row.join(u',') + u'\n';
    }
    return csv;
}

// One row per time and target: the observed value (empty for rows forecast beyond the
// data, and for values that were missing and filled in: "filled" says so), the forecast and
// the alert band.
QString toCsv(const SeriesResult &result)
{
    const QJsonObject filled = result.extra.value(u"filled"_s).toObject();
    auto cell = [](const QList<QVector<double>> &series, qsizetype k, qsizetype row) {
        if (k >= series.size() || row >= series.at(k).size() || !std::isfinite(series.at(k).at(row)))
            return QString();
        return QString::number(series.at(k).at(row), 'g', 10);
    };
    QString csv = u"time,target,observed,forecast,lower,upper,filled\n"_s;
    for (qsizetype k = 0; k < result.targets.size(); ++k) {
        QSet<qint64> filledRows;
        for (const QJsonValue &row : filled.value(result.targets.at(k)).toArray())
            filledRows.insert(row.toInteger());
        for (qsizetype row = 0; row < result.timestamps.size(); ++row)
            csv += QStringList{csvField(result.timestamps.at(row)),
                               csvField(result.targets.at(k)),
                               cell(result.observed, k, row),
                               cell(result.forecast, k, row),
                               cell(result.lower, k, row),
                               cell(result.upper, k, row),
                               filledRows.contains(row) ? u"filled"_s : QString()}
                       .join(u',') +
                   u'\n';
    }
    return csv;
}

}  // namespace

int runPredictCommand(const QStringList &args)
{
    const QList<QCommandLineOption> extra{
        TaskCommand::deviceOption(), TaskCommand::threadsOption(),
        QCommandLineOption(u"format"_s,
                           u"Print csv (one row per image: path, then label and probability pairs, best first) "
                           "or json. --json is --format json. [default: csv]"_s,
                           u"csv|json"_s, u"csv"_s)};
    const TaskCommand::Peek peek =
        TaskCommand::peek(args, SchemaOptions(TaskCommand::unionSchema(TaskCall::Predict), kSkip), extra);
    TaskPlugin *plugin = nullptr;
    LocatedModule module;
    if (const std::optional<int> exitCode = TaskCommand::locateTrained(peek, module, plugin))
        return *exitCode;
    const SchemaOptions options(plugin ? plugin->predictArguments() : TaskCommand::unionSchema(TaskCall::Predict),
                                kSkip);
    CommandParser cmd(u"predict"_s,
                      u"Predict with a trained MODULE: the labels of images, or the forecast of a series (--csv)."_s);
    cmd.addPositional(u"MODULE"_s, u"A trained module: a catalog id or a module folder."_s);
    cmd.addPositional(u"INPUTS"_s, u"Image files and folders (read recursively), or the raster to super-resolve."_s,
                      u"FILE|DIR..."_s);
    for (const QCommandLineOption &option : extra)
        cmd.addOption(option);
    options.addTo(cmd.parser());
    // Tasks whose input is a flag (a time series' --csv) take the module alone.
    if (auto stop = cmd.parse(args, options.schema().find(u"inputs"_s) ? 2 : 1, -1))
        return *stop;
    if (!plugin)  // the first look at the command line and the real parse disagreed
        return TaskCommand::argumentError(failure(u"give the MODULE first, then the options"_s), u"predict"_s);
    const QString format = cmd.json() ? u"json"_s : cmd.value(u"format"_s).toLower();
    if (format != u"csv"_s && format != u"json"_s)
        return TaskCommand::argumentError(Error::at(u"format"_s, u"must be csv or json, got '%1'"_s.arg(format)),
                                          u"predict"_s);

    QVariantMap raw = options.values(cmd.parser());
    raw.insert(u"module"_s, module.directory);
    QStringList inputs;
    for (const QString &input : cmd.positional().mid(1)) {
        if (isDatasetName(input)) {  // the task's reader says whether it opens
            inputs << input;
            continue;
        }
        if (!QFileInfo::exists(input))
            return TaskCommand::failed(
                failure(u"%1 does not exist: give the files (or folders) to predict on"_s.arg(input)));
        inputs << QFileInfo(input).absoluteFilePath();
    }
    if (options.schema().find(u"inputs"_s))
        raw.insert(u"inputs"_s, inputs);
    Result<QVariantMap> validated = options.schema().validate(raw);
    if (!validated)
        return TaskCommand::argumentError(validated.error(), u"predict"_s);
    const std::optional<QString> device = TaskCommand::resolveDevice(cmd);
    if (!device)
        return ExitFailure;

    JobRunner runner(*device);
    const QVariantMap callArgs = *validated;
    const Result<TaskResult> result =
        runner.run(u"predict-"_s + module.id, [&](JobContext &context) -> Result<TaskResult> {
            if (Result<void> warmed = plugin->warm(module.directory, context); !warmed)
                return warmed.error();
            return plugin->predict(callArgs, context);
        });
    if (!result)
        return TaskCommand::failed(result.error());

    const auto *classification = std::get_if<ClassificationResult>(&*result);
    const auto *series = std::get_if<SeriesResult>(&*result);
    QTextStream out(stdout);
    if (format == u"csv"_s && series) {
        out << toCsv(*series) << Qt::flush;
    } else if (format == u"json"_s || !classification) {
        QJsonObject json = taskResultToJson(*result);
        json.insert(u"module"_s, module.id);
        Output(true).document(json);
    } else {
        out << toCsv(*classification) << Qt::flush;
    }
    return ExitOk;
}

}  // namespace dw::cli
