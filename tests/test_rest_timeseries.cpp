// The REST API with the real time-series plugin: a small forecaster is trained through
// POST .../train/ on the built-in time-series-forecaster template, becomes a served module,
// and forecasts from a CSV uploaded to POST .../predict/. Skipped when the plugin is not built.
#include "core/serve/rest_server.h"
#include "core/task/plugin_manager.h"
#include "serve_test_client.h"
#include "timeseries_fixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestRestTimeSeries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainAndForecastFromUploadedCsv();

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

    const HttpAnswer train = client.postJson(u"/v2/models/time-series-forecaster/train/"_s,
                                             {{u"csv"_s, m_dir.filePath(u"data/train.csv"_s)}, {u"target"_s, u"value"_s},
                                              {u"name"_s, u"tiny-sine"_s}, {u"model"_s, u"mlp"_s}, {u"window"_s, 24},
                                              {u"horizon"_s, 1}, {u"epochs"_s, 5}, {u"batch"_s, 32}});
    QVERIFY2(train.status == 200, train.body.constData());
    const QString uuid = train.json().value(u"uuid"_s).toString();
    QJsonObject record;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 120000) {
        record = client.get(u"/v2/models/time-series-forecaster/train/"_s + uuid).json();
        if (record.value(u"status"_s).toString() != u"running"_s)
            break;
        QTest::qWait(100);
    }
    QVERIFY2(record.value(u"status"_s).toString() == u"done"_s, QJsonDocument(record).toJson().constData());
    QTRY_VERIFY(server.modules().find(u"tiny-sine"_s));

    QFile csv(m_dir.filePath(u"query.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const HttpAnswer predicted = client.postForm(u"/v2/models/tiny-sine/predict/"_s, {}, {{u"data"_s, u"query.csv"_s, csv.readAll()}});
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
    const HttpAnswer wrong = client.postForm(u"/v2/models/tiny-sine/predict/"_s, {},
                                             {{u"data"_s, u"other.csv"_s, QByteArray("date,flow\n2020-01-01,1\n2020-01-02,2\n")}});
    QVERIFY2(wrong.status == 422, wrong.body.constData());
    QVERIFY2(!wrong.json().value(u"message"_s).toString().isEmpty(), wrong.body.constData());
}

QTEST_GUILESS_MAIN(TestRestTimeSeries)
#include "test_rest_timeseries.moc"
