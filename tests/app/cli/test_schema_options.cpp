// SchemaOptions: CLI flags generated from a task's ArgumentSchema and read back as raw values
// that ArgumentSchema::validate() accepts; the round trip gives the typed values.
#include "core/task/argument_builders.h"
#include "schema_options.h"

#include <QCommandLineParser>
#include <QtTest>

using namespace dw;
using namespace dw::cli;
using namespace Qt::StringLiterals;

namespace {

ArgumentSchema trainSchema()
{
    ArgumentSchema schema;
    ArgumentSpec data = args::spec(u"data"_s, ArgType::FolderPath, {}, {}, {});
    data.required = true;
    data.help = u"The dataset."_s;
    data.group = u"Data"_s;
    schema.add(data);
    ArgumentSpec epochs = args::spec(u"epochs"_s, ArgType::Int, 10, {}, {}, 1.0, 1000.0);
    epochs.help = u"Passes over the data."_s;
    epochs.group = u"Training"_s;
    schema.add(epochs);
    ArgumentSpec lr = args::spec(u"lr"_s, ArgType::Float, 0.001, {}, {}, 1e-7, 10.0);
    lr.group = u"Training"_s;
    schema.add(lr);
    ArgumentSpec arch = args::spec(u"arch"_s, ArgType::Enum, u"resnet18"_s, {}, {});
    arch.choices = {u"smallcnn"_s, u"resnet18"_s};
    arch.group = u"Model"_s;
    schema.add(arch);
    ArgumentSpec augment = args::spec(u"augment"_s, ArgType::Bool, true, {}, {});
    augment.group = u"Data"_s;
    schema.add(augment);
    ArgumentSpec inputs = args::spec(u"inputs"_s, ArgType::List, {}, {}, {});
    inputs.itemType = ArgType::FilePath;
    inputs.group = u"Data"_s;
    schema.add(inputs);
    ArgumentSpec output = args::spec(u"output"_s, ArgType::FolderPath, {}, {}, {});
    output.group = u"Data"_s;
    schema.add(output);
    return schema;
}

// Parses "deepwb train" + args with the generated options; false on a parse error.
bool parse(QCommandLineParser &parser, const SchemaOptions &options, const QStringList &args)
{
    options.addTo(parser);
    return parser.parse(QStringList{u"deepwb"_s} + args);
}

}  // namespace

class TestSchemaOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void optionsFollowTheSchema();
    void helpTellsChoicesRangeDefault();
    void valueNames_data();
    void valueNames();
    void roundTrip_data();
    void roundTrip();
    void invalidValuesNameTheFlag_data();
    void invalidValuesNameTheFlag();
    void unknownFlagIsAParseError();
};

void TestSchemaOptions::optionsFollowTheSchema()
{
    const SchemaOptions options(trainSchema(), {u"output"_s});
    QStringList names;
    for (const QCommandLineOption &option : options.options())
        names << option.names();
    // Grouped in the schema's group order (Data, Training, Model); skipped ones left out;
    // a bool has its --no- twin.
    const QStringList expected{u"data"_s, u"augment"_s, u"no-augment"_s, u"inputs"_s, u"epochs"_s, u"lr"_s, u"arch"_s};
    QCOMPARE(names, expected);
}

void TestSchemaOptions::helpTellsChoicesRangeDefault()
{
    const ArgumentSchema schema = trainSchema();
    const QString epochs = SchemaOptions::helpText(*schema.find(u"epochs"_s));
    QVERIFY2(epochs.contains(u"Passes over the data."_s), qPrintable(epochs));
    QVERIFY2(epochs.contains(u"1 to 1000"_s), qPrintable(epochs));
    QVERIFY2(epochs.contains(u"default: 10"_s), qPrintable(epochs));
    const QString data = SchemaOptions::helpText(*schema.find(u"data"_s));
    QVERIFY2(data.contains(u"required"_s), qPrintable(data));
    const QString augment = SchemaOptions::helpText(*schema.find(u"augment"_s));
    QVERIFY2(augment.contains(u"--no-augment"_s) && augment.contains(u"default: on"_s), qPrintable(augment));
    QCOMPARE(SchemaOptions::valueName(*schema.find(u"arch"_s)), u"smallcnn|resnet18"_s);
    // A long list of choices: a short value name, the choices in the help.
    ArgumentSpec many = args::spec(u"arch"_s, ArgType::Enum, {}, {}, {});
    many.choices = {u"smallcnn"_s, u"resnet18"_s, u"resnet34"_s, u"resnet50"_s, u"mobilenetv2"_s};
    QCOMPARE(SchemaOptions::valueName(many), u"ARCH"_s);
    QVERIFY(SchemaOptions::helpText(many).contains(u"one of smallcnn, resnet18, resnet34, resnet50, mobilenetv2"_s));
}

void TestSchemaOptions::valueNames_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("name");
    QTest::newRow("int") << int(ArgType::Int) << u"N"_s;
    QTest::newRow("float") << int(ArgType::Float) << u"X"_s;
    QTest::newRow("file") << int(ArgType::FilePath) << u"FILE"_s;
    QTest::newRow("folder") << int(ArgType::FolderPath) << u"DIR"_s;
    QTest::newRow("string") << int(ArgType::String) << u"TEXT"_s;
    QTest::newRow("list") << int(ArgType::List) << u"ITEM,..."_s;
}

void TestSchemaOptions::valueNames()
{
    QFETCH(int, type);
    QFETCH(QString, name);
    ArgumentSpec spec = args::spec(u"x"_s, ArgType(type), {}, {}, {});
    QCOMPARE(SchemaOptions::valueName(spec), name);
}

void TestSchemaOptions::roundTrip_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QVariantMap>("expected");  // typed values after validate(); defaults included

    const QVariantMap defaults{{u"epochs"_s, 10}, {u"lr"_s, 0.001}, {u"arch"_s, u"resnet18"_s}, {u"augment"_s, true}};
    auto with = [&](QVariantMap changes) {
        QVariantMap map = defaults;
        for (auto it = changes.begin(); it != changes.end(); ++it)
            map.insert(it.key(), it.value());
        return map;
    };
    QTest::newRow("defaults") << QStringList{u"--data"_s, u"/d"_s} << with({{u"data"_s, u"/d"_s}});
    QTest::newRow("numbers") << QStringList{u"--data=/d"_s, u"--epochs"_s, u"3"_s, u"--lr"_s, u"0.5"_s}
                             << with({{u"data"_s, u"/d"_s}, {u"epochs"_s, 3}, {u"lr"_s, 0.5}});
    QTest::newRow("enum case") << QStringList{u"--data"_s, u"/d"_s, u"--arch"_s, u"SmallCNN"_s}
                               << with({{u"data"_s, u"/d"_s}, {u"arch"_s, u"smallcnn"_s}});
    QTest::newRow("bool off") << QStringList{u"--data"_s, u"/d"_s, u"--no-augment"_s}
                              << with({{u"data"_s, u"/d"_s}, {u"augment"_s, false}});
    QTest::newRow("bool last wins") << QStringList{u"--data"_s, u"/d"_s, u"--no-augment"_s, u"--augment"_s}
                                    << with({{u"data"_s, u"/d"_s}, {u"augment"_s, true}});
    QTest::newRow("list repeated and commas")
        << QStringList{u"--data"_s, u"/d"_s, u"--inputs"_s, u"/a.png,/b.png"_s, u"--inputs"_s, u"/c.png"_s}
        << with({{u"data"_s, u"/d"_s}, {u"inputs"_s, QVariantList{u"/a.png"_s, u"/b.png"_s, u"/c.png"_s}}});
}

void TestSchemaOptions::roundTrip()
{
    QFETCH(QStringList, args);
    QFETCH(QVariantMap, expected);
    const SchemaOptions options(trainSchema(), {u"output"_s});
    QCommandLineParser parser;
    QVERIFY2(parse(parser, options, args), qPrintable(parser.errorText()));
    const Result<QVariantMap> values = options.schema().validate(options.values(parser));
    QVERIFY2(values.ok(), qPrintable(values.ok() ? QString() : values.error().text()));
    QCOMPARE(values->keys(), expected.keys());
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const QVariant actual = values->value(it.key());
        if (it.value().typeId() == QMetaType::Double)
            QVERIFY2(qFuzzyCompare(actual.toDouble(), it.value().toDouble()), qPrintable(it.key()));
        else if (it.value().typeId() == QMetaType::QVariantList)
            QCOMPARE(actual.toStringList(), it.value().toStringList());
        else
            QCOMPARE(actual.toString(), it.value().toString());
    }
}

void TestSchemaOptions::invalidValuesNameTheFlag_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("missing required") << QStringList{} << u"data"_s << u"required"_s;
    QTest::newRow("below range") << QStringList{u"--data"_s, u"/d"_s, u"--epochs"_s, u"0"_s} << u"epochs"_s
                                 << u"between 1 and 1000"_s;
    QTest::newRow("not a number") << QStringList{u"--data"_s, u"/d"_s, u"--lr"_s, u"fast"_s} << u"lr"_s << u"number"_s;
    QTest::newRow("unknown choice") << QStringList{u"--data"_s, u"/d"_s, u"--arch"_s, u"vgg"_s} << u"arch"_s
                                    << u"smallcnn, resnet18"_s;
}

void TestSchemaOptions::invalidValuesNameTheFlag()
{
    QFETCH(QStringList, args);
    QFETCH(QString, field);
    QFETCH(QString, fragment);
    const SchemaOptions options(trainSchema(), {u"output"_s});
    QCommandLineParser parser;
    QVERIFY(parse(parser, options, args));
    const Result<QVariantMap> values = options.schema().validate(options.values(parser));
    QVERIFY(!values.ok());
    QCOMPARE(values.error().field, field);
    QVERIFY2(values.error().message.contains(fragment), qPrintable(values.error().message));
}

void TestSchemaOptions::unknownFlagIsAParseError()
{
    const SchemaOptions options(trainSchema(), {u"output"_s});
    QCommandLineParser parser;
    QVERIFY(!parse(parser, options, {u"--data"_s, u"/d"_s, u"--output"_s, u"/o"_s}));  // skipped: not a flag
    QVERIFY(parser.errorText().contains(u"output"_s));
}

QTEST_APPLESS_MAIN(TestSchemaOptions)
#include "test_schema_options.moc"
