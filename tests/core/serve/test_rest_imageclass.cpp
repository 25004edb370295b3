// The REST API with the real image classification plugin: a tiny classifier (SmallCNN, two
// classes of generated 28 px images) is trained through POST .../train/ on the built-in
// image-classifier template, becomes a served module, and labels an uploaded PNG through
// POST .../predict/ (JSON, DEEPaaS shape). Skipped when the plugin is not built.
#include "core/jobs/job_manager.h"
#include "core/serve/rest_server.h"
#include "core/task/plugin_manager.h"
#include "core/task/task_plugin.h"
#include "serve_test_client.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

namespace {

// Bright squares against dark discs: easy for any network after one epoch.
bool writeImage(const QString &path, bool square, int variant)
{
    cv::Mat image(28, 28, CV_8UC3, cv::Scalar(20 + variant, 20, 20));
    if (square)
        cv::rectangle(image, cv::Rect(6 + variant % 3, 6, 14, 14), cv::Scalar(240, 240, 240), cv::FILLED);
    else
        cv::circle(image, cv::Point(14, 14 + variant % 3), 6, cv::Scalar(90, 30, 200), cv::FILLED);
    return cv::imwrite(path.toStdString(), image);
}

}  // namespace

class TestRestImageClass : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainAndPredictOverHttp();
    void startingPointOverHttp();
    void torchScriptModuleOverHttp();

private:
    QTemporaryDir m_dir;
    PluginManager m_plugins;
};

void TestRestImageClass::initTestCase()
{
    m_plugins.load({QStringLiteral(DW_BIN_DIR "/plugins")});
    if (!m_plugins.plugin(u"image-classification"_s))
        QSKIP("the image classification plugin is not built (build the 'imageclass' target)");
    for (const QString &label : {u"square"_s, u"disc"_s}) {
        const QString folder = m_dir.filePath(u"data/shapes/"_s + label);
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < 16; ++i)
            QVERIFY(writeImage(QDir(folder).filePath(u"%1.png"_s.arg(i)), label == u"square"_s, i));
    }
    QVERIFY(writeImage(m_dir.filePath(u"query-square.png"_s), true, 1));
}

void TestRestImageClass::trainAndPredictOverHttp()
{
    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = m_dir.filePath(u"catalog"_s);
    options.stateDirectory = m_dir.filePath(u"state"_s);
    options.dataRoots = {m_dir.filePath(u"data"_s)};
    RestServer server(options, nullptr, &m_plugins);
    const Result<void> started = server.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().text()));
    const ServedModule *templ = server.modules().find(u"image-classifier"_s);
    QVERIFY2(templ, "the built-in image-classifier template is served");
    QVERIFY(templ->isTemplate());
    HttpClient client(server.url());
    client.timeoutMs = 120000;

    // The template cannot predict...
    QCOMPARE(client.postForm(u"/v2/models/image-classifier/predict/"_s, {}, {{u"data"_s, u"q.png"_s, QByteArray("x")}})
                 .status,
             409);
    // ...but trains into a new module.
    const HttpAnswer train =
        client.postJson(u"/v2/models/image-classifier/train/"_s, {{u"data"_s, m_dir.filePath(u"data/shapes"_s)},
                                                                  {u"name"_s, u"tiny-shapes"_s},
                                                                  {u"arch"_s, u"smallcnn"_s},
                                                                  {u"epochs"_s, 8},
                                                                  {u"batch"_s, 8},
                                                                  {u"augment"_s, false},
                                                                  {u"workers"_s, 1},
                                                                  {u"lr"_s, 0.01}});
    QVERIFY2(train.status == 200, train.body.constData());
    const QString uuid = train.json().value(u"uuid"_s).toString();
    QJsonObject record;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 120000) {
        record = client.get(u"/v2/models/image-classifier/train/"_s + uuid).json();
        if (record.value(u"status"_s).toString() != u"running"_s)
            break;
        QTest::qWait(100);
    }
    QVERIFY2(record.value(u"status"_s).toString() == u"done"_s, QJsonDocument(record).toJson().constData());
    QTRY_VERIFY(server.modules().find(u"tiny-shapes"_s));

    QFile png(m_dir.filePath(u"query-square.png"_s));
    QVERIFY(png.open(QIODevice::ReadOnly));
    const HttpAnswer predicted = client.postForm(u"/v2/models/tiny-shapes/predict/"_s, {{u"top"_s, u"2"_s}},
                                                 {{u"data"_s, u"query.png"_s, png.readAll()}});
    QVERIFY2(predicted.status == 200, predicted.body.constData());
    const QJsonObject json = predicted.json();
    QCOMPARE(json.value(u"status"_s).toString(), u"OK"_s);
    const QJsonArray items = json.value(u"predictions"_s).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonArray labels = items[0][u"labels"_s].toArray();
    const QJsonArray probabilities = items[0][u"probabilities"_s].toArray();
    QCOMPARE(labels.size(), 2);
    QVERIFY(labels.contains(u"square"_s) && labels.contains(u"disc"_s));
    const double total = probabilities[0].toDouble() + probabilities[1].toDouble();
    QVERIFY2(qAbs(total - 1.0) < 1e-3, qPrintable(QString::number(total)));
    QVERIFY(probabilities[0].toDouble() >= probabilities[1].toDouble());
    QCOMPARE(labels[0].toString(), u"square"_s);
    // The server's temporary folder is never shown to the client; the input is named as the
    // client named it.
    QVERIFY2(!predicted.body.contains("deepwb-serve-") &&
                 !predicted.body.contains(QDir::tempPath().toUtf8() + "/deepwb"),
             predicted.body.constData());
    QCOMPARE(items[0][u"input"_s].toString(), u"query.png"_s);

    // A file the model cannot read among good ones: an entry of its own with its error, in the
    // order sent (it used to be dropped: two files in, one prediction out).
    png.seek(0);
    const QByteArray good = png.readAll();
    const HttpAnswer mixed = client.postForm(u"/v2/models/tiny-shapes/predict/"_s, {},
                                             {{u"data"_s, u"my photo.png"_s, good},
                                              {u"data"_s, u"broken.png"_s, QByteArray("not an image")},
                                              {u"data"_s, u"again.png"_s, good}});
    QVERIFY2(mixed.status == 200, mixed.body.constData());
    const QJsonArray entries = mixed.json().value(u"predictions"_s).toArray();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries[0][u"input"_s].toString(), u"my photo.png"_s);
    QCOMPARE(entries[0][u"labels"_s][0].toString(), u"square"_s);
    QCOMPARE(entries[1][u"input"_s].toString(), u"broken.png"_s);
    QCOMPARE(entries[1][u"status"_s].toString(), u"error"_s);
    QVERIFY(!entries[1][u"error"_s].toString().isEmpty());
    QCOMPARE(entries[2][u"input"_s].toString(), u"again.png"_s);
    QVERIFY2(!mixed.body.contains("deepwb-serve-"), mixed.body.constData());

    // Ten clients at once: the requests that wait together share one predict() call, and
    // each still gets exactly its own image's answer.
    QVERIFY(writeImage(m_dir.filePath(u"query-disc.png"_s), false, 2));
    QByteArray images[2];
    for (int k = 0; k < 2; ++k) {
        QFile f(m_dir.filePath(k == 0 ? u"query-square.png"_s : u"query-disc.png"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        images[k] = f.readAll();
    }
    // The server forgets a prediction's job once answered: read the logs as the jobs finish.
    bool batched = false;
    connect(&server.jobs(), &JobManager::jobFinished, this, [&server, &batched](const QString &id) {
        batched |= !server.jobs().job(id).log.filter(u"requests in one call"_s).isEmpty();
    });
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 10; ++i) {
        managers.push_back(std::make_unique<QNetworkAccessManager>());
        auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        QHttpPart part;
        part.setHeader(QNetworkRequest::ContentDispositionHeader,
                       u"form-data; name=\"data\"; filename=\"q%1.png\""_s.arg(i));
        part.setBody(images[i % 2]);
        multi->append(part);
        QNetworkReply *reply =
            managers.back()->post(QNetworkRequest(QUrl(server.url() + u"/v2/models/tiny-shapes/predict/"_s)), multi);
        multi->setParent(reply);
        replies.append(reply);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 60000);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(replies[i]->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonArray got =
            QJsonDocument::fromJson(replies[i]->readAll()).object().value(u"predictions"_s).toArray();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0][u"labels"_s][0].toString(), i % 2 == 0 ? u"square"_s : u"disc"_s);
        QCOMPARE(got[0][u"input"_s].toString(), u"q%1.png"_s.arg(i));  // the client's own name
    }
    QVERIFY2(batched, "waiting requests shared a predict() call");

    // The module is replaced under the running server by another with the same id (here: its
    // labels in the other order, as a module trained on the classes renamed would have them):
    // the model list and the predictions follow the new module, never the old metadata.
    const QString moduleJson = m_dir.filePath(u"catalog/tiny-shapes/module.json"_s);
    QFile manifestFile(moduleJson);
    QVERIFY(manifestFile.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
    manifestFile.close();
    QJsonArray swapped;
    for (const QJsonValue &label : manifest.value(u"labels"_s).toArray())
        swapped.append(label.toString() == u"square"_s ? u"disc"_s : u"square"_s);
    manifest.insert(u"labels"_s, swapped);
    QTest::qWait(20);  // a module.json time of its own
    QVERIFY(manifestFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    manifestFile.write(QJsonDocument(manifest).toJson());
    manifestFile.close();
    const QJsonObject listed = client.get(u"/v2/models/tiny-shapes/"_s).json();
    QCOMPARE(listed.value(u"labels"_s).toArray(), swapped);
    QVERIFY(png.seek(0));
    const HttpAnswer again = client.postForm(u"/v2/models/tiny-shapes/predict/"_s, {{u"top"_s, u"2"_s}},
                                             {{u"data"_s, u"query.png"_s, png.readAll()}});
    QVERIFY2(again.status == 200, again.body.constData());
    QCOMPARE(again.json().value(u"predictions"_s)[0][u"labels"_s][0].toString(), u"disc"_s);
}

// The train argument "init" over REST: in the API document, a module of the server as the
// starting point, and no path on the server outside its data folders.
void TestRestImageClass::startingPointOverHttp()
{
    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = m_dir.filePath(u"catalog"_s);  // holds tiny-shapes from the test before
    options.stateDirectory = m_dir.filePath(u"state"_s);
    options.dataRoots = {m_dir.filePath(u"data"_s)};
    RestServer server(options, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    QVERIFY2(server.modules().find(u"tiny-shapes"_s), "trainAndPredictOverHttp left its module");
    HttpClient client(server.url());
    client.timeoutMs = 120000;
    QVERIFY(client.get(u"/swagger.json"_s).body.contains("\"init\""));

    const QJsonObject common{{u"data"_s, m_dir.filePath(u"data/shapes"_s)},
                             {u"arch"_s, u"smallcnn"_s},
                             {u"epochs"_s, 1},
                             {u"batch"_s, 8},
                             {u"augment"_s, false},
                             {u"workers"_s, 1}};
    QJsonObject outside = common;
    outside.insert(u"name"_s, u"from-outside"_s);
    outside.insert(u"init"_s, QCoreApplication::applicationFilePath());
    const HttpAnswer refused = client.postJson(u"/v2/models/image-classifier/train/"_s, outside);
    QCOMPARE(refused.status, 422);
    QVERIFY2(refused.body.contains("init"), refused.body.constData());

    QJsonObject fromModule = common;
    fromModule.insert(u"name"_s, u"from-tiny-shapes"_s);
    fromModule.insert(u"init"_s, u"tiny-shapes"_s);
    const HttpAnswer train = client.postJson(u"/v2/models/image-classifier/train/"_s, fromModule);
    QVERIFY2(train.status == 200, train.body.constData());
    const QString uuid = train.json().value(u"uuid"_s).toString();
    QJsonObject record;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 120000) {
        record = client.get(u"/v2/models/image-classifier/train/"_s + uuid).json();
        if (record.value(u"status"_s).toString() != u"running"_s && record.value(u"status"_s).toString() != u"queued"_s)
            break;
        QTest::qWait(100);
    }
    QVERIFY2(record.value(u"status"_s).toString() == u"done"_s, QJsonDocument(record).toJson().constData());
    QTRY_VERIFY(server.modules().find(u"from-tiny-shapes"_s));
    QFile manifest(m_dir.filePath(u"catalog/from-tiny-shapes/module.json"_s));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(manifest.readAll()).object().value(u"parent"_s).toString(), u"tiny-shapes"_s);
}

// A TorchScript classifier made by python3-torch, imported through the plugin, is served and
// labels an upload like the workbench's own modules.
void TestRestImageClass::torchScriptModuleOverHttp()
{
    QProcess python;
    python.start(u"/usr/bin/python3"_s,
                 {QStringLiteral(DW_SOURCE_DIR "/tests/peers/torchscript_models.py"), u"classifier"_s, m_dir.path()});
    QVERIFY2(python.waitForFinished(300000) && python.exitCode() == 0, python.readAllStandardError().constData());
    TaskPlugin *plugin = m_plugins.plugin(u"image-classification"_s);
    Result<QVariantMap> args =
        plugin->importArguments().validate({{u"model"_s, m_dir.filePath(u"cnn.pt"_s)},
                                            {u"labels"_s, m_dir.filePath(u"labels.txt"_s)},
                                            {u"input-size"_s, 28},
                                            {u"name"_s, u"scripted"_s},
                                            {u"output"_s, m_dir.filePath(u"catalog/scripted"_s)}});
    QVERIFY(args.ok());
    JobContext context;
    const Result<TaskResult> imported = plugin->importModel(*args, context);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));

    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = m_dir.filePath(u"catalog"_s);
    options.stateDirectory = m_dir.filePath(u"state"_s);
    RestServer server(options, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    QVERIFY(server.modules().find(u"scripted"_s));
    HttpClient client(server.url());
    client.timeoutMs = 60000;
    QFile png(m_dir.filePath(u"query-square.png"_s));
    QVERIFY(png.open(QIODevice::ReadOnly));
    const HttpAnswer predicted = client.postForm(u"/v2/models/scripted/predict/"_s, {{u"top"_s, u"4"_s}},
                                                 {{u"data"_s, u"query.png"_s, png.readAll()}});
    QVERIFY2(predicted.status == 200, predicted.body.constData());
    const QJsonArray labels = predicted.json().value(u"predictions"_s)[0][u"labels"_s].toArray();
    QCOMPARE(labels.size(), 4);
    for (const QString &label : {u"circle"_s, u"square"_s, u"triangle"_s, u"cross"_s})
        QVERIFY(labels.contains(label));
}

QTEST_GUILESS_MAIN(TestRestImageClass)
#include "test_rest_imageclass.moc"
