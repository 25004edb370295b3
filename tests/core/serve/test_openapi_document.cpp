// OpenApiDocument from hand-made served modules: each argument type becomes the right JSON
// Schema (ranges, enums, list items, defaults), required arguments are listed, templates
// keep their train route, and the bearer scheme appears only with a token.
#include "core/serve/openapi_document.h"
#include "core/task/argument_builders.h"

#include <QJsonArray>
#include <QTest>

using namespace dw;
using namespace Qt::StringLiterals;

class TestOpenApiDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void argumentSchemas_data();
    void argumentSchemas();
    void document();
};

void TestOpenApiDocument::argumentSchemas_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("jsonType");
    QTest::newRow("string") << int(ArgType::String) << u"string"_s;
    QTest::newRow("int") << int(ArgType::Int) << u"integer"_s;
    QTest::newRow("float") << int(ArgType::Float) << u"number"_s;
    QTest::newRow("bool") << int(ArgType::Bool) << u"boolean"_s;
    QTest::newRow("enum") << int(ArgType::Enum) << u"string"_s;
    QTest::newRow("list") << int(ArgType::List) << u"array"_s;
    QTest::newRow("file") << int(ArgType::FilePath) << u"string"_s;
}

void TestOpenApiDocument::argumentSchemas()
{
    QFETCH(int, type);
    QFETCH(QString, jsonType);
    ArgumentSpec spec = args::spec(u"x"_s, ArgType(type), {}, {}, {});
    spec.help = u"Help."_s;
    spec.group = u"G"_s;
    if (spec.type == ArgType::Int || spec.type == ArgType::Float) {
        spec.minimum = 1;
        spec.maximum = 9;
        spec.defaultValue = 2;
    }
    if (spec.type == ArgType::Enum)
        spec.choices = {u"a"_s, u"b"_s};
    if (spec.type == ArgType::List)
        spec.itemType = ArgType::Int;
    const QJsonObject s = OpenApiDocument::argumentSchema(spec);
    QCOMPARE(s.value(u"type"_s).toString(), jsonType);
    QVERIFY(s.value(u"description"_s).toString().startsWith(u"Help."_s));
    QCOMPARE(s.value(u"x-group"_s).toString(), u"G"_s);
    if (spec.minimum) {
        QCOMPARE(s.value(u"minimum"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"maximum"_s).toDouble(), 9.0);
        QCOMPARE(s.value(u"default"_s).toInt(), 2);
    }
    if (spec.type == ArgType::Enum)
        QCOMPARE(s.value(u"enum"_s).toArray().size(), 2);
    if (spec.type == ArgType::List)
        QCOMPARE(s.value(u"items"_s)[u"type"_s].toString(), u"integer"_s);
    if (spec.type == ArgType::FilePath)
        QVERIFY(s.value(u"description"_s).toString().contains(u"--data-root"_s));
}

void TestOpenApiDocument::document()
{
    ServedModule trained;
    trained.id = u"trained"_s;
    trained.manifest.title = u"Trained"_s;
    trained.manifest.task = u"t"_s;
    trained.manifest.weights = {u"w.pt"_s, u"torch-state-dict"_s, {}, {}};
    ArgumentSpec text = args::spec(u"text"_s, ArgType::String, {}, {}, {});
    text.required = true;
    trained.predictSchema.add(text);
    trained.uploadArgument = u"inputs"_s;
    trained.uploadIsList = true;
    trained.trainSchema.add(args::spec(u"epochs"_s, ArgType::Int, 3, {}, {}, 1.0, 10.0));
    ServedModule templ;
    templ.id = u"templ"_s;
    templ.manifest.task = u"t"_s;

    QJsonObject doc = OpenApiDocument::build({trained, templ}, u"http://127.0.0.1:1"_s, false);
    QCOMPARE(doc.value(u"openapi"_s).toString(), u"3.0.3"_s);
    QCOMPARE(doc.value(u"servers"_s)[0][u"url"_s].toString(), u"http://127.0.0.1:1"_s);
    QVERIFY(!doc.contains(u"security"_s));
    const QJsonObject paths = doc.value(u"paths"_s).toObject();
    const QJsonObject form = paths
                                 .value(u"/v2/models/trained/predict/"_s)[u"post"_s][u"requestBody"_s][u"content"_s]
                                                                         [u"multipart/form-data"_s][u"schema"_s]
                                 .toObject();
    QCOMPARE(form.value(u"properties"_s)[u"data"_s][u"type"_s].toString(), u"array"_s);
    QCOMPARE(form.value(u"properties"_s)[u"data"_s][u"items"_s][u"format"_s].toString(), u"binary"_s);
    QCOMPARE(form.value(u"required"_s).toArray(), (QJsonArray{u"text"_s}));
    QVERIFY(form.value(u"properties"_s).toObject().contains(u"accept"_s));
    QVERIFY(paths.contains(u"/v2/models/templ/train/"_s));
    QVERIFY(paths.value(u"/v2/models/trained/predict/"_s)[u"post"_s][u"responses"_s].toObject().contains(u"413"_s));

    doc = OpenApiDocument::build({trained}, u"http://x"_s, true);
    QVERIFY(doc.value(u"components"_s)[u"securitySchemes"_s].toObject().contains(u"bearer"_s));
    QCOMPARE(doc.value(u"security"_s).toArray().size(), 1);

    const QString html = QString::fromUtf8(OpenApiDocument::htmlPage({trained, templ}, u"http://x"_s, true));
    QVERIFY(html.contains(u"Authorization: Bearer"_s));
    QVERIFY(html.contains(u"a template"_s));
    QVERIFY(html.contains(u"epochs"_s));
}

QTEST_GUILESS_MAIN(TestOpenApiDocument)
#include "test_openapi_document.moc"
