// The REST API with the real super-resolution plugin and a guided module: the guide is a file
// field of its own ("guide") next to "data", listed in the OpenAPI form; the super-resolved
// GeoTIFF comes back when asked for with accept=image/tiff, on the guide's grid. Without the
// guide, with it as a text field, or with two guides: a 422 that names it. Skipped when the
// plugin is not built or L7_ETMs.tif is not there.
#include "core/io/raster_reader.h"
#include "core/jobs/job_context.h"
#include "core/serve/rest_server.h"
#include "core/task/plugin_manager.h"
#include "core/task/task_plugin.h"
#include "serve_test_client.h"
#include "shared_data.h"
#include "superres_fixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

namespace {
const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
}  // namespace

class TestRestSuperRes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void guideIsAnUploadOfItsOwn();

private:
    QTemporaryDir m_dir;
    PluginManager m_plugins;
};

void TestRestSuperRes::initTestCase()
{
    m_plugins.load({QStringLiteral(DW_BIN_DIR "/plugins")});
    TaskPlugin *plugin = m_plugins.plugin(u"super-resolution"_s);
    if (!plugin)
        QSKIP("the super-resolution plugin is not built (build the 'superres' target)");
    DW_REQUIRE_SHARED_FILE(kL7);
    // The scene (348 × 352) is the guide; its 2 × 2 block means the raster to super-resolve.
    Result<RasterReader> l7 = RasterReader::open(kL7);
    QVERIFY(l7.ok());
    Result<RasterBuffer> scene = l7->read(QRect(0, 0, 348, 352), {1, 2, 3, 4});
    QVERIFY(scene.ok());
    QVERIFY(writeOnGridOf(m_dir.filePath(u"guide.tif"_s), *scene, l7->info(), 1, {u"b1"_s, u"b2"_s, u"b3"_s, u"b4"_s})
                .ok());
    QVERIFY(writeOnGridOf(m_dir.filePath(u"coarse.tif"_s), blockMean(*scene, 2), l7->info(), 2,
                          {u"b1"_s, u"b2"_s, u"b3"_s, u"b4"_s})
                .ok());
    // A tiny guided module straight into the catalog the server will read.
    Result<QVariantMap> args =
        plugin->trainArguments().validate({{u"raster"_s, QStringList{m_dir.filePath(u"coarse.tif"_s)}},
                                           {u"guide"_s, QStringList{m_dir.filePath(u"guide.tif"_s)}},
                                           {u"epochs"_s, 1},
                                           {u"blocks"_s, 1},
                                           {u"filters"_s, 8},
                                           {u"patch"_s, 24},
                                           {u"patches-per-epoch"_s, 16},
                                           {u"name"_s, u"guided"_s},
                                           {u"output"_s, m_dir.filePath(u"catalog/guided"_s)}});
    QVERIFY2(args.ok(), qPrintable(args.ok() ? QString() : args.error().text()));
    std::atomic_bool never{false};
    JobContext context(u"train"_s, &never, {});
    Result<TaskResult> trained = plugin->train(*args, context);
    QVERIFY2(trained.ok(), qPrintable(trained.ok() ? QString() : trained.error().text()));
}

void TestRestSuperRes::guideIsAnUploadOfItsOwn()
{
    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = m_dir.filePath(u"catalog"_s);
    options.stateDirectory = m_dir.filePath(u"state"_s);
    RestServer server(options, nullptr, &m_plugins);
    const Result<void> started = server.start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().text()));
    const ServedModule *module = server.modules().find(u"guided"_s);
    QVERIFY(module);
    QCOMPARE(module->uploadArgument, u"inputs"_s);
    QCOMPARE(module->extraUploads, QStringList{u"guide"_s});
    QVERIFY(!module->predictSchema.find(u"guide"_s));  // not a path a client could point anywhere
    HttpClient client(server.url());
    client.timeoutMs = 120000;
    const QJsonObject openapi = client.get(u"/openapi.json"_s).json();
    const QJsonObject form = openapi.value(u"paths"_s)
                                 .toObject()
                                 .value(u"/v2/models/guided/predict/"_s)
                                 .toObject()
                                 .value(u"post"_s)
                                 .toObject()
                                 .value(u"requestBody"_s)
                                 .toObject()
                                 .value(u"content"_s)
                                 .toObject()
                                 .value(u"multipart/form-data"_s)
                                 .toObject()
                                 .value(u"schema"_s)
                                 .toObject();
    QCOMPARE(form.value(u"properties"_s).toObject().value(u"guide"_s).toObject().value(u"format"_s).toString(),
             u"binary"_s);

    const QByteArray coarse = contents(m_dir.filePath(u"coarse.tif"_s)),
                     guide = contents(m_dir.filePath(u"guide.tif"_s));
    const HttpAnswer answer =
        client.postForm(u"/v2/models/guided/predict/"_s, {{u"accept"_s, u"image/tiff"_s}},
                        {{u"data"_s, u"coarse.tif"_s, coarse}, {u"guide"_s, u"guide.tif"_s, guide}});
    QVERIFY2(answer.status == 200, answer.body.constData());
    const QString out = m_dir.filePath(u"answer.tif"_s);
    QFile file(out);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(answer.body) == answer.body.size());
    file.close();
    Result<RasterReader> result = RasterReader::open(out);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().text()));
    QCOMPARE(result->info().width, 348);
    QCOMPARE(result->info().height, 352);
    QCOMPARE(result->info().bands.size(), 4);

    const HttpAnswer missing =
        client.postForm(u"/v2/models/guided/predict/"_s, {}, {{u"data"_s, u"coarse.tif"_s, coarse}});
    QCOMPARE(missing.status, 422);
    QVERIFY2(missing.body.contains("guide"), missing.body.constData());
    const HttpAnswer text = client.postForm(u"/v2/models/guided/predict/"_s, {{u"guide"_s, u"/etc/passwd"_s}},
                                            {{u"data"_s, u"coarse.tif"_s, coarse}});
    QCOMPARE(text.status, 422);
    QVERIFY2(text.body.contains("file upload"), text.body.constData());
    const HttpAnswer two = client.postForm(
        u"/v2/models/guided/predict/"_s, {},
        {{u"data"_s, u"coarse.tif"_s, coarse}, {u"guide"_s, u"a.tif"_s, guide}, {u"guide"_s, u"b.tif"_s, guide}});
    QCOMPARE(two.status, 422);
    QVERIFY2(two.body.contains("one file only"), two.body.constData());
}

QTEST_GUILESS_MAIN(TestRestSuperRes)
#include "test_rest_superres.moc"
