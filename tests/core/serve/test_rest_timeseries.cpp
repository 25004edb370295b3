// The REST API with the real time-series plugin: a small forecaster is trained through
// POST .../train/ on the built-in time-series-forecaster template, becomes a served module,
// and forecasts from a CSV uploaded to POST .../predict/. A `deepwb serve` killed (-9) in the
// middle of a training: the record says interrupted (no made-up finish_date), and resume=true
// continues the same module. Skipped when the plugin is not built.
#include "core/serve/rest_server.h"
#include "core/task/plugin_manager.h"
#include "serve_test_client.h"
#include "timeseries_fixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestRestTimeSeries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainAndForecastFromUploadedCsv();
    void resumeAfterTheServerIsKilled();

private:
    QTemporaryDir m_dir;
    PluginManager m_plugins;
};

void TestRestTimeSeries::initTestCase()
{
    m_plugins.load({QStringLiteral(DW_BIN_DIR "/plugins")});
    if (!m_plugins.plugin(u"time-series"_s))
        QSKIP("the time-series plugin is not built (build the 'timeseries' target)");
    QVERIFY(QDir().mkpath(m_dir.filePath(u"data"_s)));
    QVERIFY(writeSineCsv(m_dir.filePath(u"data/train.csv"_s), 240));
    QVERIFY(writeSineCsv(m_dir.filePath(u"query.csv"_s), 80));
}

void TestRestTimeSeries::trainAndForecastFromUploadedCsv()
{
    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = m_dir.filePath(u"catalog"_s);
    options.stateDirectory = m_dir.filePath(u"state"_s);
    options.dataRoots = {m_dir.filePath(u"data"_s)};
    RestServer server(options, nullptr, &m_plugins);
    const Result<void> started = server.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().text()));
    const ServedModule *templ = server.modules().find(u"time-series-forecaster"_s);
    QVERIFY2(templ, "the built-in time-series-forecaster template is served");
    QCOMPARE(templ->uploadArgument, u"csv"_s);  // the CSV is what a client uploads as "data"
    HttpClient client(server.url());
    client.timeoutMs = 120000;

    const HttpAnswer train =
        client.postJson(u"/v2/models/time-series-forecaster/train/"_s, {{u"csv"_s, m_dir.filePath(u"data/train.csv"_s)},
                                                                        {u"target"_s, u"value"_s},
                                                                        {u"name"_s, u"tiny-sine"_s},
                                                                        {u"model"_s, u"mlp"_s},
                                                                        {u"window"_s, 24},
                                                                        {u"horizon"_s, 1},
                                                                        {u"epochs"_s, 5},
                                                                        {u"batch"_s, 32}});
    QVERIFY2(train.status == 200, train.body.constData());
    const QString uuid = train.json().value(u"uuid"_s).toString();
    const QJsonObject record = finishedTraining(client, u"time-series-forecaster"_s, uuid);
    QVERIFY2(record.value(u"status"_s).toString() == u"done"_s, QJsonDocument(record).toJson().constData());
    QTRY_VERIFY(server.modules().find(u"tiny-sine"_s));

    // Re-training over REST (issue 16 item 3): training on a trained module fine-tunes it; the
    // child names its parent and how it was frozen.
    const HttpAnswer retrain =
        client.postJson(u"/v2/models/tiny-sine/train/"_s, {{u"csv"_s, m_dir.filePath(u"data/train.csv"_s)},
                                                           {u"target"_s, u"value"_s},
                                                           {u"name"_s, u"tiny-sine-child"_s},
                                                           {u"freeze"_s, u"head"_s},
                                                           {u"epochs"_s, 2},
                                                           {u"batch"_s, 32}});
    QVERIFY2(retrain.status == 200, retrain.body.constData());
    const QString childUuid = retrain.json().value(u"uuid"_s).toString();
    const QJsonObject child = finishedTraining(client, u"tiny-sine"_s, childUuid);
    QVERIFY2(child.value(u"status"_s).toString() == u"done"_s, QJsonDocument(child).toJson().constData());
    QFile childManifest(m_dir.filePath(u"catalog/tiny-sine-child/module.json"_s));
    QVERIFY(childManifest.open(QIODevice::ReadOnly));
    const QJsonObject manifest = QJsonDocument::fromJson(childManifest.readAll()).object();
    QCOMPARE(manifest.value(u"parent"_s).toString(), u"tiny-sine"_s);
    QCOMPARE(manifest.value(u"hyper-parameters"_s)[u"freeze"_s].toString(), u"head"_s);

    QFile csv(m_dir.filePath(u"query.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const HttpAnswer predicted =
        client.postForm(u"/v2/models/tiny-sine/predict/"_s, {}, {{u"data"_s, u"query.csv"_s, csv.readAll()}});
    QVERIFY2(predicted.status == 200, predicted.body.constData());
    const QJsonObject json = predicted.json();
    QCOMPARE(json.value(u"status"_s).toString(), u"OK"_s);
    const QJsonObject predictions = json.value(u"predictions"_s).toObject();
    const QJsonArray series = predictions.value(u"series"_s).toArray();
    QCOMPARE(series.size(), 1);
    QCOMPARE(series[0][u"target"_s].toString(), u"value"_s);
    const QJsonArray forecast = series[0][u"forecast"_s].toArray();
    QVERIFY2(!forecast.isEmpty(), predicted.body.constData());
    // Forecasts of a sine around 10 with amplitude 1 stay in its range (with room for a 5-epoch model).
    int finite = 0;
    for (const QJsonValue &v : forecast) {
        if (v.isDouble()) {
            ++finite;
            QVERIFY2(v.toDouble() > 7.0 && v.toDouble() < 13.0, qPrintable(QString::number(v.toDouble())));
        }
    }
    QVERIFY(finite > 0);
    QVERIFY(!predictions.value(u"timestamps"_s).toArray().isEmpty());

    // A CSV without the module's target column is the client's mistake: 422, not 500.
    const HttpAnswer wrong =
        client.postForm(u"/v2/models/tiny-sine/predict/"_s, {},
                        {{u"data"_s, u"other.csv"_s, QByteArray("date,flow\n2020-01-01,1\n2020-01-02,2\n")}});
    QVERIFY2(wrong.status == 422, wrong.body.constData());
    QVERIFY2(!wrong.json().value(u"message"_s).toString().isEmpty(), wrong.body.constData());
}

namespace {

// `deepwb serve` on port, until it answers GET /.
bool startServe(QProcess &process, const QStringList &args, const QString &catalog, const QString &home, quint16 port)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DEEPWB_CATALOG"_s, catalog);
    env.insert(u"HOME"_s, home);
    env.insert(u"DEEPWB_THREADS"_s, u"2"_s);
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
    HttpClient client(u"http://127.0.0.1:%1"_s.arg(port));
    client.timeoutMs = 1000;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000 && process.state() != QProcess::NotRunning) {
        if (client.get(u"/"_s).status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

}  // namespace

void TestRestTimeSeries::resumeAfterTheServerIsKilled()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    const QString catalog = m_dir.filePath(u"kill-catalog"_s);
    const QStringList args{u"serve"_s,
                           u"--port"_s,
                           QString::number(port),
                           u"--data-root"_s,
                           m_dir.filePath(u"data"_s),
                           u"--state-dir"_s,
                           m_dir.filePath(u"kill-state"_s),
                           u"--device"_s,
                           u"cpu"_s,
                           u"--quiet"_s};
    QProcess first;
    QVERIFY(startServe(first, args, catalog, m_dir.path(), port));
    HttpClient client(u"http://127.0.0.1:%1"_s.arg(port));
    client.timeoutMs = 30000;
    QJsonObject training{{u"csv"_s, m_dir.filePath(u"data/train.csv"_s)},
                         {u"target"_s, u"value"_s},
                         {u"name"_s, u"resumable"_s},
                         {u"model"_s, u"lstm"_s},
                         {u"window"_s, 24},
                         {u"horizon"_s, 1},
                         {u"epochs"_s, 400},
                         {u"batch"_s, 32}};
    const HttpAnswer started = client.postJson(u"/v2/models/time-series-forecaster/train/"_s, training);
    QVERIFY2(started.status == 200, started.body.constData());
    const QString uuid = started.json().value(u"uuid"_s).toString();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(catalog + u"/resumable/checkpoints/last.pt"_s), 60000);
    QVERIFY(::kill(static_cast<pid_t>(first.processId()), SIGKILL) == 0);
    QVERIFY(first.waitForFinished(10000));

    QProcess second;
    QVERIFY(startServe(second, args, catalog, m_dir.path(), port));
    const QJsonObject record = client.get(u"/v2/models/time-series-forecaster/train/"_s + uuid).json();
    QCOMPARE(record.value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(record.value(u"state"_s).toString(), u"interrupted"_s);
    QVERIFY2(record.value(u"message"_s).toString().contains(u"resume=true"_s),
             QJsonDocument(record).toJson().constData());
    QVERIFY2(!record.contains(u"finish_date"_s), QJsonDocument(record).toJson().constData());  // not the restart's time

    // The same arguments again: the name is in use (409), and says how to resume.
    training.insert(u"epochs"_s, 3);
    const HttpAnswer again = client.postJson(u"/v2/models/time-series-forecaster/train/"_s, training);
    QVERIFY2(again.status == 409 && again.body.contains("resume=true"), again.body.constData());
    // resume=true continues the module in its own folder (it used to pick "resumable-2" and
    // find no checkpoint there).
    training.insert(u"resume"_s, true);
    const HttpAnswer resumed = client.postJson(u"/v2/models/time-series-forecaster/train/"_s, training);
    QVERIFY2(resumed.status == 200, resumed.body.constData());
    QCOMPARE(resumed.json().value(u"module"_s).toString(), u"resumable"_s);
    const QString resumedUuid = resumed.json().value(u"uuid"_s).toString();
    const QJsonObject done = finishedTraining(client, u"time-series-forecaster"_s, resumedUuid);
    QVERIFY2(done.value(u"status"_s).toString() == u"done"_s, QJsonDocument(done).toJson().constData());
    QVERIFY(QFile::exists(catalog + u"/resumable/module.json"_s));
    QVERIFY(!QFileInfo::exists(catalog + u"/resumable-2"_s));
    second.terminate();
    QVERIFY(second.waitForFinished(30000));
}

QTEST_GUILESS_MAIN(TestRestTimeSeries)
#include "test_rest_timeseries.moc"
