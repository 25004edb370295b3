// The time-series plugin as the loader sees it: metadata, the exact argument names of its
// schemas (the CLI flags and REST parameters), then train → predict → evaluate through the
// interface on a generated sine: the shapes of the SeriesResult and of the evaluation JSON
// (per target mae, rmse, smape, r2 and baselines naive and seasonal_naive), and clear errors.
#include "core/task/plugin_manager.h"
#include "shared_data.h"
#include "timeseries_fixture.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

QStringList namesOf(const ArgumentSchema &schema)
{
    QStringList names;
    for (const ArgumentSpec &spec : schema.specs())
        names << spec.name;
    return names;
}

}  // namespace

class TestTimeSeriesPlugin : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    QTemporaryDir m_dir;
    QString m_csv, m_module;

private Q_SLOTS:
    void initTestCase()
    {
        m_manager.load({QStringLiteral(DW_PLUGIN_DIR)});
        m_plugin = m_manager.plugin(u"time-series"_s);
        QVERIFY2(m_plugin, "libtimeseries.so did not load");
        m_csv = m_dir.filePath(u"sine.csv"_s);
        QVERIFY(test::writeSineCsv(m_csv, 400, 0.1));
        m_module = m_dir.filePath(u"sine-module"_s);
    }

    void metadata()
    {
        const TaskMetadata meta = m_plugin->metadata();
        QCOMPARE(meta.task, u"time-series"_s);
        QCOMPARE(meta.architectures, (QStringList{u"lstm"_s, u"gru"_s, u"cnn"_s, u"mlp"_s}));
    }

    void schemaNames()
    {
        const QStringList train = namesOf(m_plugin->trainArguments());
        for (const QString &name :
             {u"csv"_s, u"target"_s, u"inputs"_s, u"model"_s, u"window"_s, u"horizon"_s, u"epochs"_s, u"batch"_s,
              u"lr"_s, u"layers"_s, u"hidden"_s, u"differencing"_s, u"scaling"_s, u"patience"_s, u"seed"_s, u"name"_s,
              u"output"_s, u"resume"_s, u"precision"_s})
            QVERIFY2(train.contains(name), qPrintable(name));
        QCOMPARE(namesOf(m_plugin->predictArguments()),
                 (QStringList{u"module"_s, u"csv"_s, u"horizon"_s, u"alerts"_s, u"precision"_s}));
        QCOMPARE(namesOf(m_plugin->evaluateArguments()), (QStringList{u"module"_s, u"csv"_s, u"precision"_s}));
        for (const ArgumentSchema &schema :
             {m_plugin->trainArguments(), m_plugin->predictArguments(), m_plugin->evaluateArguments()})
            for (const ArgumentSpec &spec : schema.specs())
                QVERIFY2(!spec.help.isEmpty() && !spec.group.isEmpty(), qPrintable(spec.name));
        // A target given as "a,b" in one string validates as a list.
        Result<QVariantMap> args = m_plugin->trainArguments().validate(
            {{u"csv"_s, m_csv}, {u"target"_s, u"value,other"_s}, {u"name"_s, u"x"_s}});
        QVERIFY2(args.ok(), args.ok() ? "" : qPrintable(args.error().text()));
        QCOMPARE(args->value(u"target"_s).toStringList(), (QStringList{u"value"_s, u"other"_s}));
    }

    void trainPredictEvaluate()
    {
        Result<QVariantMap> args = m_plugin->trainArguments().validate({{u"csv"_s, m_csv},
                                                                        {u"target"_s, u"value"_s},
                                                                        {u"model"_s, u"gru"_s},
                                                                        {u"window"_s, u"16"_s},
                                                                        {u"horizon"_s, u"2"_s},
                                                                        {u"epochs"_s, u"3"_s},
                                                                        {u"hidden"_s, u"12"_s},
                                                                        {u"layers"_s, u"1"_s},
                                                                        {u"lr"_s, u"0.01"_s},
                                                                        {u"name"_s, u"sine-module"_s},
                                                                        {u"output"_s, m_module}});
        QVERIFY2(args.ok(), args.ok() ? "" : qPrintable(args.error().text()));
        JobContext context;
        Result<TaskResult> trained = m_plugin->train(*args, context);
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().text()));
        const QJsonObject json = taskResultToJson(*trained);
        QCOMPARE(json.value(u"task"_s).toString(), u"time-series"_s);
        QCOMPARE(json.value(u"epochs_run"_s).toInt(), 3);
        QVERIFY(json.value(u"metrics"_s).toObject().contains(u"value"_s));

        Result<QVariantMap> predictArgs =
            m_plugin->predictArguments().validate({{u"module"_s, m_module},
                                                   {u"csv"_s, m_csv},
                                                   {u"horizon"_s, u"5"_s},
                                                   {u"alerts"_s, m_dir.filePath(u"alerts.csv"_s)}});
        QVERIFY(predictArgs.ok());
        Result<TaskResult> predicted = m_plugin->predict(*predictArgs, context);
        QVERIFY2(predicted.ok(), predicted.ok() ? "" : qPrintable(predicted.error().text()));
        const auto *series = std::get_if<SeriesResult>(&*predicted);
        QVERIFY(series);
        QCOMPARE(series->targets, QStringList{u"value"_s});
        QCOMPARE(series->timestamps.size(), 405);
        QCOMPARE(series->timestamps.first(), u"2020-01-01"_s);
        QCOMPARE(series->timestamps.last(), QDate(2020, 1, 1).addDays(404).toString(Qt::ISODate));
        QCOMPARE(series->observed.first().size(), 405);
        QCOMPARE(series->forecast.first().size(), 405);
        QCOMPARE(series->lower.first().size(), 405);
        QVERIFY(std::isnan(series->forecast.first().at(15)));
        QVERIFY(std::isfinite(series->forecast.first().at(16)));
        QVERIFY(std::isnan(series->observed.first().at(400)));
        QVERIFY(std::isfinite(series->forecast.first().at(404)));
        for (qsizetype i = 16; i < 405; ++i)
            QVERIFY(series->lower.first().at(i) < series->upper.first().at(i));
        QVERIFY(series->extra.value(u"alerts"_s).isArray());
        QCOMPARE(series->extra.value(u"horizon"_s).toInt(), 5);
        QFile alerts(m_dir.filePath(u"alerts.csv"_s));
        QVERIFY(alerts.open(QIODevice::ReadOnly));
        QVERIFY(alerts.readLine().startsWith("time,target,observed,expected,residual,score,severity"));
        QCOMPARE(series->extra.value(u"alerts_file"_s).toString(), alerts.fileName());

        Result<QVariantMap> evalArgs =
            m_plugin->evaluateArguments().validate({{u"module"_s, m_module}, {u"csv"_s, m_csv}});
        QVERIFY(evalArgs.ok());
        Result<TaskResult> evaluated = m_plugin->evaluate(*evalArgs, context);
        QVERIFY2(evaluated.ok(), evaluated.ok() ? "" : qPrintable(evaluated.error().text()));
        const QJsonObject evaluation = taskResultToJson(*evaluated);
        const QJsonObject value = evaluation.value(u"targets"_s).toObject().value(u"value"_s).toObject();
        for (const QString &key : {u"mae"_s, u"rmse"_s, u"smape"_s, u"r2"_s})
            QVERIFY2(value.value(key).isDouble(), qPrintable(key));
        const QJsonObject baselines = value.value(u"baselines"_s).toObject();
        for (const QString &baseline : {u"naive"_s, u"seasonal_naive"_s})
            for (const QString &key : {u"mae"_s, u"rmse"_s, u"smape"_s, u"r2"_s})
                QVERIFY2(baselines.value(baseline).toObject().value(key).isDouble(), qPrintable(baseline + u'.' + key));
        QCOMPARE(value.value(u"count"_s).toInt(), 400 - 16);
        QVERIFY(value.value(u"mae"_s).toDouble() < baselines.value(u"naive"_s).toObject().value(u"mae"_s).toDouble());
    }

    // Forecasts after the last row are stamped a calendar step apart: a yearly series ending in
    // a leap year (the Nile to 1968) goes on 1969, 1970, not 1968 again.
    void futureStampsFollowTheCalendar()
    {
        const QString nile = QStringLiteral(DW_SHARED_DATA_DIR "/nile.csv");
        DW_REQUIRE_SHARED_FILE(nile);
        QFile in(nile);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text;
        while (!in.atEnd()) {
            const QByteArray line = in.readLine();
            text += line;
            if (line.startsWith("1968,"))
                break;
        }
        const QString csv = m_dir.filePath(u"nile-1968.csv"_s), module = m_dir.filePath(u"nile-module"_s);
        QFile out(csv);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        Result<QVariantMap> args = m_plugin->trainArguments().validate({{u"csv"_s, csv},
                                                                        {u"target"_s, u"volume"_s},
                                                                        {u"window"_s, u"8"_s},
                                                                        {u"epochs"_s, u"1"_s},
                                                                        {u"hidden"_s, u"4"_s},
                                                                        {u"layers"_s, u"1"_s},
                                                                        {u"name"_s, u"nile"_s},
                                                                        {u"output"_s, module}});
        QVERIFY2(args.ok(), args.ok() ? "" : qPrintable(args.error().text()));
        JobContext context;
        QVERIFY(m_plugin->train(*args, context).ok());
        Result<QVariantMap> predictArgs =
            m_plugin->predictArguments().validate({{u"module"_s, module}, {u"csv"_s, csv}, {u"horizon"_s, u"3"_s}});
        QVERIFY(predictArgs.ok());
        Result<TaskResult> predicted = m_plugin->predict(*predictArgs, context);
        QVERIFY2(predicted.ok(), predicted.ok() ? "" : qPrintable(predicted.error().text()));
        const auto *series = std::get_if<SeriesResult>(&*predicted);
        QVERIFY(series);
        QCOMPARE(series->timestamps.mid(series->timestamps.size() - 4),
                 (QStringList{u"1968"_s, u"1969"_s, u"1970"_s, u"1971"_s}));
    }

    void errors()
    {
        JobContext context;
        Result<TaskResult> noModule =
            m_plugin->predict({{u"module"_s, m_dir.filePath(u"none"_s)}, {u"csv"_s, m_csv}}, context);
        QVERIFY(!noModule.ok());
        QVERIFY(noModule.error().message.contains(u"module.json"_s));
        // A file without the module's column.
        const QString other = m_dir.filePath(u"other.csv"_s);
        QFile file(other);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("t,flow\n1,2\n2,3\n3,4\n");
        file.close();
        Result<TaskResult> missing = m_plugin->evaluate({{u"module"_s, m_module}, {u"csv"_s, other}}, context);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().field, u"csv"_s);
        QVERIFY2(missing.error().message.contains(u"value"_s), qPrintable(missing.error().message));
        // A series shorter than the window.
        const QString shortCsv = m_dir.filePath(u"short.csv"_s);
        QVERIFY(test::writeSineCsv(shortCsv, 10));
        Result<TaskResult> tooShort = m_plugin->predict({{u"module"_s, m_module}, {u"csv"_s, shortCsv}}, context);
        QVERIFY(!tooShort.ok());
        QCOMPARE(tooShort.error().field, u"csv"_s);
        QVERIFY2(tooShort.error().message.contains(u"window"_s), qPrintable(tooShort.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTimeSeriesPlugin)
#include "test_timeseries_plugin.moc"
