// TaskResult: the kind name and the JSON form of every kind, as the CLI prints it and
// the REST API returns it.
#include "core/task/task_plugin.h"
#include "core/task/task_result.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

class TestTaskResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void toJson_data();
    void toJson();
    void nonFiniteNumbersBecomeNull();
    void variantRoundTrip();
    void metadataToJson();
};

void TestTaskResult::toJson_data()
{
    QTest::addColumn<TaskResult>("result");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("json") << TaskResult{JsonResult{{{u"status"_s, u"ok"_s}, {u"n"_s, 3}}}} << u"json"_s
                          << QByteArray(R"({"status": "ok", "n": 3})");

    ClassificationResult classification;
    classification.items.append({u"rose.jpg"_s, {{u"rose"_s, 0.75}, {u"tulip"_s, 0.25}}, {}});
    classification.items.append({u"fern.png"_s, {{u"fern"_s, 1.0}}, u"/tmp/fern-cam.png"_s});
    QTest::newRow("classification") << TaskResult{classification} << u"classification"_s
                                    << QByteArray(R"({"predictions": [
               {"input": "rose.jpg", "labels": ["rose", "tulip"], "probabilities": [0.75, 0.25]},
               {"input": "fern.png", "labels": ["fern"], "probabilities": [1], "heat_map": "/tmp/fern-cam.png"}]})");
    QTest::newRow("classification, empty")
        << TaskResult{ClassificationResult{}} << u"classification"_s << QByteArray(R"({"predictions": []})");

    RasterResult raster{u"/data/out.tif"_s, 698, 704, 6, {{u"crs"_s, u"EPSG:32633"_s}}};
    QTest::newRow("raster") << TaskResult{raster} << u"raster"_s
                            << QByteArray(R"({"path": "/data/out.tif", "width": 698, "height": 704, "bands": 6,
                                             "metadata": {"crs": "EPSG:32633"}})");

    SeriesResult series;
    series.targets = {u"flow"_s, u"level"_s};
    series.timestamps = {u"2020-01-01"_s, u"2020-01-02"_s};
    series.observed = {{1.0, 2.0}, {3.0, 4.0}};
    series.forecast = {{1.5, 2.5}, {3.5, 4.5}};
    series.lower = {{1.0, 2.0}};  // only the first target has a band
    series.upper = {{2.0, 3.0}};
    series.extra = {{u"alerts"_s, QJsonArray{QJsonObject{{u"index"_s, 1}}}}, {u"series"_s, u"must not override"_s}};
    QTest::newRow("series") << TaskResult{series} << u"series"_s
                            << QByteArray(R"({"timestamps": ["2020-01-01", "2020-01-02"],
               "series": [{"target": "flow", "observed": [1, 2], "forecast": [1.5, 2.5], "lower": [1, 2], "upper": [2, 3]},
                          {"target": "level", "observed": [3, 4], "forecast": [3.5, 4.5]}],
               "alerts": [{"index": 1}]})");

    QTest::newRow("files") << TaskResult{FilesResult{{u"/a.csv"_s, u"/b.json"_s}}} << u"files"_s
                           << QByteArray(R"({"files": ["/a.csv", "/b.json"]})");
}

void TestTaskResult::toJson()
{
    QFETCH(TaskResult, result);
    QFETCH(QString, kind);
    QFETCH(QByteArray, expected);
    QCOMPARE(taskResultKind(result), kind);
    QJsonParseError error{};
    const QJsonObject want = QJsonDocument::fromJson(expected, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject got = taskResultToJson(result);
    QVERIFY2(got == want, QJsonDocument(got).toJson().constData());
}

void TestTaskResult::nonFiniteNumbersBecomeNull()
{
    SeriesResult series;
    series.targets = {u"x"_s};
    series.observed = {{1.0, std::nan(""), INFINITY}};
    series.forecast = {{}};
    const QJsonObject json = taskResultToJson(TaskResult{series});
    const QJsonArray observed = json.value(u"series"_s).toArray().first().toObject().value(u"observed"_s).toArray();
    QCOMPARE(observed.size(), 3);
    QVERIFY(observed.at(1).isNull());
    QVERIFY(observed.at(2).isNull());
    // And the document is valid JSON that parses back.
    const QByteArray text = QJsonDocument(json).toJson();
    QJsonParseError error{};
    QJsonDocument::fromJson(text, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void TestTaskResult::variantRoundTrip()
{
    // Results cross threads inside a QVariant (JobInfo::result).
    const QVariant v = QVariant::fromValue(TaskResult{FilesResult{{u"/x"_s}}});
    QVERIFY(v.canConvert<TaskResult>());
    const TaskResult back = v.value<TaskResult>();
    QCOMPARE(taskResultKind(back), u"files"_s);
    QCOMPARE(std::get<FilesResult>(back).paths, QStringList{u"/x"_s});
}

void TestTaskResult::metadataToJson()
{
    const TaskMetadata metadata{u"image-classification"_s,
                                u"Image classification"_s,
                                u"Classifies images."_s,
                                u"0.1.0"_s,
                                {u"resnet18"_s, u"small-cnn"_s}};
    const QJsonObject json = metadata.toJson();
    QCOMPARE(json.value(u"task"_s).toString(), u"image-classification"_s);
    QCOMPARE(json.value(u"name"_s).toString(), u"Image classification"_s);
    QCOMPARE(json.value(u"description"_s).toString(), u"Classifies images."_s);
    QCOMPARE(json.value(u"version"_s).toString(), u"0.1.0"_s);
    QCOMPARE(json.value(u"architectures"_s).toArray(), (QJsonArray{u"resnet18"_s, u"small-cnn"_s}));
}

QTEST_GUILESS_MAIN(TestTaskResult)
#include "test_task_result.moc"
