// ArgumentSchema: conversions of strings and JSON values, defaults, every kind of error,
// and the JSON form round trip.
#include "core/task/argument_builders.h"
#include "core/task/argument_schema.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

ArgumentSchema trainingSchema()
{
    ArgumentSchema schema;
    ArgumentSpec batch = args::spec(u"batch-size"_s, ArgType::Int, 32, {}, {}, 1.0, 4096.0);
    batch.group = u"Optimiser"_s;
    batch.help = u"Images per step."_s;
    schema.add(batch);
    ArgumentSpec rate = args::spec(u"learning-rate"_s, ArgType::Float, 0.001, {}, {}, 0.0, 1.0);
    rate.group = u"Optimiser"_s;
    schema.add(rate);
    ArgumentSpec epochs = args::spec(u"epochs"_s, ArgType::Int, {}, {}, {}, 1.0);
    epochs.required = true;
    epochs.help = u"Passes over the training data"_s;
    epochs.group = u"Training"_s;
    schema.add(epochs);
    schema.add(args::spec(u"augment"_s, ArgType::Bool, false, {}, {}));
    ArgumentSpec model = args::spec(u"model"_s, ArgType::Enum, u"resnet18"_s, {}, {});
    model.choices = {u"resnet18"_s, u"resnet50"_s, u"small-cnn"_s};
    model.group = u"Model"_s;
    schema.add(model);
    ArgumentSpec layers = args::spec(u"layers"_s, ArgType::List, {}, {}, {}, 1.0, 4.0);
    layers.itemType = ArgType::Int;
    schema.add(layers);
    ArgumentSpec classes = args::spec(u"classes"_s, ArgType::List, {}, {}, {});
    schema.add(classes);
    ArgumentSpec flips = args::spec(u"flips"_s, ArgType::List, {}, {}, {});
    flips.itemType = ArgType::Enum;
    flips.choices = {u"horizontal"_s, u"vertical"_s};
    schema.add(flips);
    schema.add(args::spec(u"weights"_s, ArgType::FilePath, {}, {}, {}));
    ArgumentSpec guide = args::spec(u"guide"_s, ArgType::FilePath, {}, {}, {});
    guide.readsFile = true;  // a file the task reads besides its inputs
    schema.add(guide);
    schema.add(args::spec(u"name"_s, ArgType::String, {}, {}, {}));
    return schema;
}

}  // namespace

class TestArgumentSchema : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void conversions_data();
    void conversions();
    void defaults();
    void absentValuesTakeDefaults_data();
    void absentValuesTakeDefaults();
    void jsonValues();
    void errors_data();
    void errors();
    void exactRangeMessage();
    void noArgumentsSchema();
    void typeNames();
    void groupsInOrder();
    void addReplacesSameName();
    void jsonRoundTrip();
    void fromJsonErrors_data();
    void fromJsonErrors();
};

void TestArgumentSchema::conversions_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("raw");
    QTest::addColumn<QVariant>("expected");
    QTest::addColumn<int>("typeId");

    QTest::newRow("int from string") << u"batch-size"_s << QVariant(u"64"_s) << QVariant(64) << int(QMetaType::Int);
    QTest::newRow("int from padded string")
        << u"batch-size"_s << QVariant(u" 8 "_s) << QVariant(8) << int(QMetaType::Int);
    QTest::newRow("int from exponent") << u"batch-size"_s << QVariant(u"1e3"_s) << QVariant(1000)
                                       << int(QMetaType::Int);
    QTest::newRow("int from JSON double") << u"batch-size"_s << QVariant(64.0) << QVariant(64) << int(QMetaType::Int);
    QTest::newRow("int from int") << u"batch-size"_s << QVariant(16) << QVariant(16) << int(QMetaType::Int);
    QTest::newRow("float from string") << u"learning-rate"_s << QVariant(u"0.5"_s) << QVariant(0.5)
                                       << int(QMetaType::Double);
    QTest::newRow("float from exponent") << u"learning-rate"_s << QVariant(u"1e-4"_s) << QVariant(1e-4)
                                         << int(QMetaType::Double);
    QTest::newRow("float from int") << u"learning-rate"_s << QVariant(1) << QVariant(1.0) << int(QMetaType::Double);
    for (const char *yes : {"true", "TRUE", "yes", "1", "on", " Yes "})
        QTest::addRow("bool %s", yes) << u"augment"_s << QVariant(QString::fromLatin1(yes)) << QVariant(true)
                                      << int(QMetaType::Bool);
    for (const char *no : {"false", "False", "no", "0", "off"})
        QTest::addRow("bool %s", no) << u"augment"_s << QVariant(QString::fromLatin1(no)) << QVariant(false)
                                     << int(QMetaType::Bool);
    QTest::newRow("bool from bool") << u"augment"_s << QVariant(true) << QVariant(true) << int(QMetaType::Bool);
    QTest::newRow("bool from 0") << u"augment"_s << QVariant(0) << QVariant(false) << int(QMetaType::Bool);
    QTest::newRow("enum exact") << u"model"_s << QVariant(u"resnet50"_s) << QVariant(u"resnet50"_s)
                                << int(QMetaType::QString);
    QTest::newRow("enum other case") << u"model"_s << QVariant(u"ResNet50"_s) << QVariant(u"resnet50"_s)
                                     << int(QMetaType::QString);
    QTest::newRow("int list from text") << u"layers"_s << QVariant(u"1, 2,3"_s) << QVariant(QVariantList{1, 2, 3})
                                        << int(QMetaType::QVariantList);
    QTest::newRow("int list from JSON text")
        << u"layers"_s << QVariant(u"[4, 5]"_s) << QVariant(QVariantList{4, 5}) << int(QMetaType::QVariantList);
    QTest::newRow("int list from list") << u"layers"_s << QVariant(QVariantList{u"7"_s, 8.0})
                                        << QVariant(QVariantList{7, 8}) << int(QMetaType::QVariantList);
    QTest::newRow("int list single value")
        << u"layers"_s << QVariant(3) << QVariant(QVariantList{3}) << int(QMetaType::QVariantList);
    QTest::newRow("string list from text")
        << u"classes"_s << QVariant(u"cat, dog"_s) << QVariant(QVariantList{u"cat"_s, u"dog"_s})
        << int(QMetaType::QVariantList);
    QTest::newRow("string list from QStringList")
        << u"classes"_s << QVariant(QStringList{u"a"_s, u"b"_s}) << QVariant(QVariantList{u"a"_s, u"b"_s})
        << int(QMetaType::QVariantList);
    QTest::newRow("enum list") << u"flips"_s << QVariant(u"vertical,Horizontal"_s)
                               << QVariant(QVariantList{u"vertical"_s, u"horizontal"_s})
                               << int(QMetaType::QVariantList);
    QTest::newRow("path with tilde") << u"weights"_s << QVariant(u"~/w.pt"_s) << QVariant(QDir::homePath() + u"/w.pt"_s)
                                     << int(QMetaType::QString);
    QTest::newRow("path as is") << u"weights"_s << QVariant(u" /data/w.pt "_s) << QVariant(u"/data/w.pt"_s)
                                << int(QMetaType::QString);
    QTest::newRow("string from number") << u"name"_s << QVariant(42) << QVariant(u"42"_s) << int(QMetaType::QString);
    QTest::newRow("string keeps spaces") << u"name"_s << QVariant(u" my run "_s) << QVariant(u" my run "_s)
                                         << int(QMetaType::QString);
}

void TestArgumentSchema::conversions()
{
    QFETCH(QString, field);
    QFETCH(QVariant, raw);
    QFETCH(QVariant, expected);
    QFETCH(int, typeId);
    const Result<QVariantMap> values = trainingSchema().validate({{u"epochs"_s, 1}, {field, raw}});
    QVERIFY2(values.ok(), qPrintable(values.ok() ? QString() : values.error().text()));
    const QVariant value = values->value(field);
    QCOMPARE(value.typeId(), typeId);
    QCOMPARE(value, expected);
}

void TestArgumentSchema::defaults()
{
    const ArgumentSchema schema = trainingSchema();
    const Result<QVariantMap> values = schema.validate({{u"epochs"_s, u"5"_s}});
    QVERIFY(values.ok());
    QCOMPARE(values->value(u"epochs"_s), QVariant(5));
    QCOMPARE(values->value(u"batch-size"_s), QVariant(32));
    QCOMPARE(values->value(u"learning-rate"_s), QVariant(0.001));
    QCOMPARE(values->value(u"augment"_s), QVariant(false));
    QCOMPARE(values->value(u"model"_s), QVariant(u"resnet18"_s));
    // No default and not given: left out, so that a plugin can tell "not given" apart.
    QVERIFY(!values->contains(u"layers"_s));
    QVERIFY(!values->contains(u"name"_s));

    const QVariantMap defaults = schema.defaults();
    QCOMPARE(defaults.size(), 4);
    QCOMPARE(defaults.value(u"batch-size"_s), QVariant(32));
    QVERIFY(!defaults.contains(u"epochs"_s));
}

void TestArgumentSchema::absentValuesTakeDefaults_data()
{
    QTest::addColumn<QVariant>("raw");
    QTest::newRow("empty form field") << QVariant(u""_s);
    QTest::newRow("blank form field") << QVariant(u"   "_s);
    QTest::newRow("JSON null") << QVariant::fromValue(nullptr);
    QTest::newRow("invalid variant") << QVariant();
}

void TestArgumentSchema::absentValuesTakeDefaults()
{
    QFETCH(QVariant, raw);
    const ArgumentSchema schema = trainingSchema();
    const Result<QVariantMap> values = schema.validate({{u"epochs"_s, 2}, {u"batch-size"_s, raw}});
    QVERIFY(values.ok());
    QCOMPARE(values->value(u"batch-size"_s), QVariant(32));
    // The same absence in a required argument is an error.
    const Result<QVariantMap> missing = schema.validate({{u"epochs"_s, raw}});
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().field, u"epochs"_s);
}

void TestArgumentSchema::jsonValues()
{
    // What a REST client sends: JSON numbers are doubles, lists are arrays.
    const QJsonObject body = QJsonDocument::fromJson(
                                 R"({"epochs": 10, "batch-size": 128, "learning-rate": 0.01, "augment": true,
            "model": "small-cnn", "layers": [64, 128], "classes": ["a", "b"]})")
                                 .object();
    const Result<QVariantMap> values = trainingSchema().validate(body.toVariantMap());
    QVERIFY(values.ok());
    QCOMPARE(values->value(u"epochs"_s).typeId(), int(QMetaType::Int));
    QCOMPARE(values->value(u"epochs"_s), QVariant(10));
    QCOMPARE(values->value(u"batch-size"_s), QVariant(128));
    QCOMPARE(values->value(u"learning-rate"_s), QVariant(0.01));
    QCOMPARE(values->value(u"augment"_s), QVariant(true));
    QCOMPARE(values->value(u"layers"_s), QVariant(QVariantList{64, 128}));
    QCOMPARE(values->value(u"classes"_s), QVariant(QVariantList{u"a"_s, u"b"_s}));
}

void TestArgumentSchema::errors_data()
{
    QTest::addColumn<QVariantMap>("raw");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");  // a part of the message that says why

    const QVariantMap base{{u"epochs"_s, 1}};
    auto with = [&base](const QString &key, const QVariant &value) {
        QVariantMap raw = base;
        raw.insert(key, value);
        return raw;
    };
    QTest::newRow("unknown name") << with(u"batchsize"_s, 3) << u"batchsize"_s
                                  << u"unknown argument; known arguments: batch-size, learning-rate, epochs"_s;
    QTest::newRow("required missing") << QVariantMap{} << u"epochs"_s
                                      << u"is required but was not given (Passes over the training data)"_s;
    QTest::newRow("int below minimum") << with(u"batch-size"_s, 0) << u"batch-size"_s
                                       << u"must be between 1 and 4096, got 0"_s;
    QTest::newRow("int above maximum") << with(u"batch-size"_s, u"5000"_s) << u"batch-size"_s
                                       << u"must be between 1 and 4096, got 5000"_s;
    QTest::newRow("int below minimum only")
        << QVariantMap{{u"epochs"_s, -1}} << u"epochs"_s << u"must be at least 1, got -1"_s;
    QTest::newRow("int not a number") << with(u"batch-size"_s, u"abc"_s) << u"batch-size"_s
                                      << u"must be a whole number, got 'abc'"_s;
    QTest::newRow("int fraction") << with(u"batch-size"_s, u"2.5"_s) << u"batch-size"_s
                                  << u"must be a whole number, got '2.5'"_s;
    QTest::newRow("int from JSON fraction")
        << with(u"batch-size"_s, 2.5) << u"batch-size"_s << u"must be a whole number, got 2.5"_s;
    QTest::newRow("int from bool") << with(u"batch-size"_s, true) << u"batch-size"_s << u"must be a whole number"_s;
    QTest::newRow("float not a number") << with(u"learning-rate"_s, u"fast"_s) << u"learning-rate"_s
                                        << u"must be a number, got 'fast'"_s;
    QTest::newRow("float above maximum") << with(u"learning-rate"_s, 2) << u"learning-rate"_s
                                         << u"must be between 0 and 1, got 2"_s;
    QTest::newRow("float nan") << with(u"learning-rate"_s, u"nan"_s) << u"learning-rate"_s
                               << u"must be a finite number"_s;
    QTest::newRow("bool word") << with(u"augment"_s, u"maybe"_s) << u"augment"_s
                               << u"must be true or false (also yes/no, 1/0), got 'maybe'"_s;
    QTest::newRow("bool number") << with(u"augment"_s, 2) << u"augment"_s << u"must be true or false"_s;
    QTest::newRow("enum choice") << with(u"model"_s, u"vgg"_s) << u"model"_s
                                 << u"must be one of resnet18, resnet50, small-cnn, got 'vgg'"_s;
    QTest::newRow("list item") << with(u"layers"_s, u"1,x"_s) << u"layers"_s
                               << u"item 2: must be a whole number, got 'x'"_s;
    QTest::newRow("list too long") << with(u"layers"_s, u"1,2,3,4,5"_s) << u"layers"_s
                                   << u"must have between 1 and 4 items, got 5"_s;
    QTest::newRow("list too short") << with(u"layers"_s, QVariantList{}) << u"layers"_s
                                    << u"must have between 1 and 4 items, got 0"_s;
    QTest::newRow("list bad JSON") << with(u"layers"_s, u"[1,"_s) << u"layers"_s << u"is not valid JSON"_s;
    QTest::newRow("list enum item") << with(u"flips"_s, u"horizontal,diagonal"_s) << u"flips"_s
                                    << u"item 2: must be one of horizontal, vertical, got 'diagonal'"_s;
    QTest::newRow("list from object") << with(u"classes"_s, QVariantMap{{u"a"_s, 1}}) << u"classes"_s
                                      << u"must be a list, got an object"_s;
    QTest::newRow("string from object") << with(u"name"_s, QVariantMap{{u"a"_s, 1}}) << u"name"_s
                                        << u"must be text, got an object"_s;
    QTest::newRow("path from list") << with(u"weights"_s, QVariantList{1}) << u"weights"_s
                                    << u"must be a path, got a list"_s;
}

void TestArgumentSchema::errors()
{
    QFETCH(QVariantMap, raw);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const Result<QVariantMap> values = trainingSchema().validate(raw);
    QVERIFY(!values.ok());
    QCOMPARE(values.error().field, field);
    QVERIFY2(values.error().message.contains(message), qPrintable(values.error().message));
    QVERIFY(values.error().text().startsWith(field + u": "_s));
}

void TestArgumentSchema::exactRangeMessage()
{
    const Result<QVariantMap> values = trainingSchema().validate({{u"epochs"_s, 1}, {u"batch-size"_s, u"0"_s}});
    QVERIFY(!values.ok());
    QCOMPARE(values.error().text(), u"batch-size: must be between 1 and 4096, got 0"_s);
}

void TestArgumentSchema::noArgumentsSchema()
{
    const ArgumentSchema empty;
    QVERIFY(empty.isEmpty());
    QVERIFY(empty.validate({}).ok());
    const Result<QVariantMap> values = empty.validate({{u"x"_s, 1}});
    QVERIFY(!values.ok());
    QVERIFY(values.error().message.contains(u"takes no arguments"_s));
}

void TestArgumentSchema::typeNames()
{
    for (ArgType type : {ArgType::String, ArgType::Int, ArgType::Float, ArgType::Bool, ArgType::Enum, ArgType::List,
                         ArgType::FilePath, ArgType::FolderPath}) {
        const QString name = argTypeName(type);
        QVERIFY(!name.isEmpty());
        QCOMPARE(argTypeFromName(name), std::optional<ArgType>(type));
    }
    QCOMPARE(argTypeFromName(u"integer"_s), std::optional<ArgType>(ArgType::Int));
    QCOMPARE(argTypeFromName(u"Boolean"_s), std::optional<ArgType>(ArgType::Bool));
    QVERIFY(!argTypeFromName(u"tensor"_s).has_value());
}

void TestArgumentSchema::groupsInOrder()
{
    QCOMPARE(trainingSchema().groups(), (QStringList{u"Optimiser"_s, u"Training"_s, u""_s, u"Model"_s}));
}

void TestArgumentSchema::addReplacesSameName()
{
    ArgumentSchema schema = trainingSchema();
    const qsizetype count = schema.specs().size();
    schema.add(args::spec(u"batch-size"_s, ArgType::Int, 8, {}, {}, 1.0, 64.0));
    QCOMPARE(schema.specs().size(), count);
    QCOMPARE(schema.specs().first().name, u"batch-size"_s);
    QCOMPARE(schema.find(u"batch-size"_s)->defaultValue, QVariant(8));
    QVERIFY(schema.find(u"nope"_s) == nullptr);
}

void TestArgumentSchema::jsonRoundTrip()
{
    const ArgumentSchema schema = trainingSchema();
    const QJsonObject json = schema.toJson();
    QCOMPARE(json.value(u"arguments"_s).toArray().size(), schema.specs().size());
    // Through text, as it goes to an OpenAPI document or a module.json and back.
    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    const Result<ArgumentSchema> back = ArgumentSchema::fromJson(reread);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().text()));
    QCOMPARE(back->toJson(), json);
    QCOMPARE(back->specs().size(), schema.specs().size());
    for (qsizetype i = 0; i < schema.specs().size(); ++i) {
        const ArgumentSpec &a = schema.specs().at(i);
        const ArgumentSpec &b = back->specs().at(i);
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.type, a.type);
        QCOMPARE(b.itemType, a.itemType);
        QCOMPARE(b.defaultValue, a.defaultValue);
        // A JSON 32 comes back as an int, not a double: defaults keep their declared type.
        QCOMPARE(b.defaultValue.typeId(), a.defaultValue.typeId());
        QCOMPARE(b.minimum, a.minimum);
        QCOMPARE(b.maximum, a.maximum);
        QCOMPARE(b.choices, a.choices);
        QCOMPARE(b.required, a.required);
        QCOMPARE(b.help, a.help);
        QCOMPARE(b.group, a.group);
        QCOMPARE(b.readsFile, a.readsFile);
    }
    QVERIFY(back->find(u"guide"_s)->readsFile);
    QVERIFY(!back->find(u"weights"_s)->readsFile);
    // And it validates the same way.
    QCOMPARE(back->validate({{u"epochs"_s, u"3"_s}}).value(), schema.validate({{u"epochs"_s, u"3"_s}}).value());
}

void TestArgumentSchema::fromJsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::newRow("arguments not a list") << QByteArray(R"({"arguments": 3})") << u"arguments"_s << u"must be a list"_s;
    QTest::newRow("entry not an object") << QByteArray(R"({"arguments": [3]})") << u"arguments[0]"_s
                                         << u"must be an object"_s;
    QTest::newRow("bad name") << QByteArray(R"({"arguments": [{"name": "Batch Size", "type": "int"}]})")
                              << u"arguments[0].name"_s << u"lower-case identifier"_s;
    QTest::newRow("unknown type") << QByteArray(R"({"arguments": [{"name": "x", "type": "tensor"}]})")
                                  << u"arguments[0].x"_s << u"unknown type 'tensor'"_s;
    QTest::newRow("enum without choices") << QByteArray(R"({"arguments": [{"name": "m", "type": "enum"}]})")
                                          << u"arguments[0].m"_s << u"needs a non-empty list of choices"_s;
    QTest::newRow("minimum above maximum")
        << QByteArray(R"({"arguments": [{"name": "n", "type": "int", "minimum": 5, "maximum": 1}]})")
        << u"arguments[0].n"_s << u"minimum 5 is above maximum 1"_s;
    QTest::newRow("bound not a number") << QByteArray(
                                               R"({"arguments": [{"name": "n", "type": "int", "minimum": "one"}]})")
                                        << u"arguments[0].n"_s << u"minimum must be a number"_s;
    QTest::newRow("default out of range")
        << QByteArray(R"({"arguments": [{"name": "n", "type": "int", "minimum": 1, "default": 0}]})")
        << u"arguments[0].n"_s << u"invalid default: must be at least 1, got 0"_s;
    QTest::newRow("default not in choices")
        << QByteArray(R"({"arguments": [{"name": "m", "type": "enum", "choices": ["a"], "default": "b"}]})")
        << u"arguments[0].m"_s << u"invalid default: must be one of a, got 'b'"_s;
    QTest::newRow("duplicate") << QByteArray(R"({"arguments": [{"name": "a"}, {"name": "a"}]})") << u"arguments[1].a"_s
                               << u"is declared twice"_s;
    QTest::newRow("bad item type") << QByteArray(
                                          R"({"arguments": [{"name": "l", "type": "list", "item_type": "list"}]})")
                                   << u"arguments[0].l"_s << u"unknown list item type 'list'"_s;
}

void TestArgumentSchema::fromJsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const Result<ArgumentSchema> schema = ArgumentSchema::fromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(!schema.ok());
    QCOMPARE(schema.error().field, field);
    QVERIFY2(schema.error().message.contains(message), qPrintable(schema.error().message));
}

QTEST_GUILESS_MAIN(TestArgumentSchema)
#include "test_argument_schema.moc"
