// deepwb evaluate MODULE --data DIR: how well a trained module does on labelled data (a
// forecaster on --csv FILE, a super-resolution module on --raster FILE by Wald's protocol).
#include "commands.h"
#include "job_runner.h"
#include "module_locator.h"
#include "task_command.h"

#include <QJsonArray>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

const QStringList kSkip{u"module"_s};

QString fixed(const QJsonValue &value, int decimals = 3)
{
    return value.isDouble() ? QString::number(value.toDouble(), 'f', decimals) : u"-"_s;
}

// per_class is a list of {label, precision, recall, f1, support} (an object keyed by label
// is read too): one table row each, in the module's label order.
QList<QStringList> perClassRows(const QJsonValue &perClass)
{
    QList<QStringList> rows;
    auto row = [&](const QString &label, const QJsonObject &m) {
        rows << QStringList{label, fixed(m.value(u"precision"_s)), fixed(m.value(u"recall"_s)), fixed(m.value(u"f1"_s)),
                            QString::number(m.value(u"support"_s).toInteger())};
    };
    if (perClass.isArray()) {
        for (const QJsonValue &item : perClass.toArray()) {
            const QJsonObject m = item.toObject();
            row(m.value(u"label"_s).toString(m.value(u"class"_s).toString()), m);
        }
    } else {
        const QJsonObject byLabel = perClass.toObject();
        for (auto it = byLabel.begin(); it != byLabel.end(); ++it)
            row(it.key(), it.value().toObject());
    }
    return rows;
}

// Forecasters: per target the model's scores next to the naive and seasonal-naive baselines.
void printForecastEvaluation(const Output &out, const QJsonObject &targets)
{
    QList<QStringList> rows;
    for (auto it = targets.begin(); it != targets.end(); ++it) {
        const QJsonObject m = it.value().toObject();
        const QJsonObject baselines = m.value(u"baselines"_s).toObject();
        auto row = [&](const QString &what, const QJsonObject &s) {
            rows << QStringList{it.key(),
                                what,
                                fixed(s.value(u"mae"_s), 4),
                                fixed(s.value(u"rmse"_s), 4),
                                fixed(s.value(u"smape"_s), 2),
                                fixed(s.value(u"r2"_s), 4),
                                QString::number(s.value(u"count"_s).toInteger())};
        };
        row(u"model"_s, m);
        row(u"naive"_s, baselines.value(u"naive"_s).toObject());
        row(u"seasonal naive"_s, baselines.value(u"seasonal_naive"_s).toObject());
    }
    out.table({u"TARGET"_s, u"FORECAST"_s, u"MAE"_s, u"RMSE"_s, u"SMAPE %"_s, u"R2"_s, u"POINTS"_s}, rows);
}

// Super-resolution: per band the model's PSNR, SSIM and SRE next to bicubic upsampling's.
void printRasterEvaluation(const Output &out, const QJsonObject &json)
{
    QList<QStringList> rows;
    auto row = [&](const QString &band, const QJsonObject &m) {
        const QJsonObject model = m.value(u"model"_s).toObject(), bicubic = m.value(u"bicubic"_s).toObject();
        rows << QStringList{band,
                            fixed(model.value(u"psnr"_s), 2),
                            fixed(bicubic.value(u"psnr"_s), 2),
                            fixed(m.value(u"psnr_gain"_s), 2),
                            fixed(model.value(u"ssim"_s), 4),
                            fixed(bicubic.value(u"ssim"_s), 4),
                            fixed(model.value(u"sre"_s), 2),
                            fixed(bicubic.value(u"sre"_s), 2)};
    };
    for (const QJsonValue &band : json.value(u"bands"_s).toArray())
        row(band.toObject().value(u"band"_s).toString(), band.toObject());
    row(u"mean"_s, json.value(u"mean"_s).toObject());
    out.table({u"BAND"_s, u"PSNR"_s, u"BICUBIC"_s, u"GAIN dB"_s, u"SSIM"_s, u"BICUBIC"_s, u"SRE"_s, u"BICUBIC"_s},
              rows);
}

void printEvaluation(const Output &out, const QJsonObject &json)
{
    if (json.value(u"protocol"_s).toString() == u"wald"_s) {
        printRasterEvaluation(out, json);
        return;
    }
    if (json.value(u"targets"_s).isObject()) {
        printForecastEvaluation(out, json.value(u"targets"_s).toObject());
        return;
    }
    out.table({u"CLASS"_s, u"PRECISION"_s, u"RECALL"_s, u"F1"_s, u"SUPPORT"_s},
              perClassRows(json.value(u"per_class"_s)));
    out.line();
    for (const char *key : {"macro", "weighted"}) {
        const QJsonObject avg = json.value(QLatin1StringView(key)).toObject();
        if (!avg.isEmpty())
            out.line(u"%1 average: precision %2  recall %3  F1 %4"_s.arg(
                QLatin1StringView(key).toString().leftJustified(8), fixed(avg.value(u"precision"_s)),
                fixed(avg.value(u"recall"_s)), fixed(avg.value(u"f1"_s))));
    }
    out.line(u"top-1 accuracy: %1 %   top-5 accuracy: %2 %"_s.arg(fixed(json.value(u"top1"_s).toDouble() * 100.0, 2),
                                                                  fixed(json.value(u"top5"_s).toDouble() * 100.0, 2)));
    out.line(u"%1 image(s) evaluated, %2 unreadable skipped"_s.arg(json.value(u"evaluated"_s).toInteger())
                 .arg(json.value(u"skipped"_s).toInteger()));

    // The confusion matrix fits a terminal for a modest number of classes; the JSON has it always.
    const QJsonArray confusion = json.value(u"confusion_matrix"_s).toArray();
    const QJsonArray labels = json.value(u"classes"_s).toArray();
    if (!confusion.isEmpty() && confusion.size() <= 20) {
        out.line();
        out.line(u"confusion matrix (rows: truth, columns: prediction)"_s);
        QStringList headers{QString()};
        for (qsizetype c = 0; c < confusion.size(); ++c)
            headers << QString::number(c);
        QList<QStringList> rows;
        for (qsizetype r = 0; r < confusion.size(); ++r) {
            QStringList cells{u"%1 %2"_s.arg(r).arg(labels.at(r).toString())};
            for (const QJsonValue &count : confusion.at(r).toArray())
                cells << QString::number(count.toInteger());
            rows << cells;
        }
        out.table(headers, rows);
    }
    const QString predictions = json.value(u"predictions"_s).toString();
    if (!predictions.isEmpty())
        out.line(u"\npredictions written to %1"_s.arg(predictions));
}

}  // namespace

int runEvaluateCommand(const QStringList &args)
{
    const QList<QCommandLineOption> extra{TaskCommand::deviceOption(), TaskCommand::threadsOption()};
    const TaskCommand::Peek peek =
        TaskCommand::peek(args, SchemaOptions(TaskCommand::unionSchema(TaskCall::Evaluate), kSkip), extra);
    TaskPlugin *plugin = nullptr;
    LocatedModule module;
    if (const std::optional<int> exitCode = TaskCommand::locateTrained(peek, module, plugin))
        return *exitCode;
    const SchemaOptions options(plugin ? plugin->evaluateArguments() : TaskCommand::unionSchema(TaskCall::Evaluate),
                                kSkip);
    CommandParser cmd(u"evaluate"_s, u"Evaluate a trained MODULE on labelled data: top-1 and top-5 accuracy, per-class "
                                     "precision, recall and F1, the confusion matrix."_s);
    cmd.addPositional(u"MODULE"_s, u"A trained module: a catalog id or a module folder."_s);
    cmd.addOption(extra.first());
    options.addTo(cmd.parser());
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    if (!plugin)  // the first look at the command line and the real parse disagreed
        return TaskCommand::argumentError(failure(u"give the MODULE first, then the options"_s), u"evaluate"_s);
    if (options.schema().isEmpty())
        return TaskCommand::failed(
            failure(u"the task '%1' of module '%2' cannot be evaluated"_s.arg(module.manifest.task, module.id)));

    QVariantMap raw = options.values(cmd.parser());
    raw.insert(u"module"_s, module.directory);
    Result<QVariantMap> validated = options.schema().validate(raw);
    if (!validated)
        return TaskCommand::argumentError(validated.error(), u"evaluate"_s);
    const std::optional<QString> device = TaskCommand::resolveDevice(cmd);
    if (!device)
        return ExitFailure;
    JobRunner runner(*device);
    const QVariantMap callArgs = *validated;
    const Result<TaskResult> result = runner.run(
        u"evaluate-"_s + module.id, [&](JobContext &context) { return plugin->evaluate(callArgs, context); });
    if (!result)
        return TaskCommand::failed(result.error());
    const QJsonObject json = taskResultToJson(*result);
    const Output out = cmd.output();
    out.document(json);
    if (!out.json())
        printEvaluation(out, json);
    return ExitOk;
}

}  // namespace dw::cli
