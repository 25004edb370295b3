// argumentFlags: a form's values written back as deepwb flags, which the CLI's own parser
// (SchemaOptions) reads back to the same typed values; defaults and skipped arguments are left
// out, booleans are --x / --no-x, lists a flag per item, awkward values kept whole.
#include "core/task/argument_builders.h"
#include "core/task/argument_flags.h"
#include "schema_options.h"

#include <QCommandLineParser>
#include <QtTest>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

ArgumentSchema trainSchema()
{
    ArgumentSchema schema;
    schema.add(args::required(args::spec(u"data"_s, ArgType::FolderPath, {}, u"Data"_s, u"The dataset."_s)));
    schema.add(args::spec(u"epochs"_s, ArgType::Int, 10, u"Training"_s, u"Passes."_s, 1.0, 1000.0));
    schema.add(args::spec(u"lr"_s, ArgType::Float, 0.001, u"Training"_s, u"Learning rate."_s, 1e-7, 10.0));
    schema.add(args::spec(u"warmup"_s, ArgType::Float, 0.0, u"Training"_s, u"Warm-up."_s, 0.0, 100.0));
    schema.add(args::choice(u"arch"_s, u"resnet18"_s, {u"smallcnn"_s, u"resnet18"_s}, u"Model"_s, u"Net."_s));
    schema.add(args::spec(u"augment"_s, ArgType::Bool, true, u"Data"_s, u"Augment."_s));
    schema.add(args::spec(u"balanced"_s, ArgType::Bool, false, u"Data"_s, u"Balanced."_s));
    ArgumentSpec raster = args::list(u"raster"_s, u"Data"_s, u"Rasters."_s);
    raster.itemType = ArgType::FilePath;
    schema.add(raster);
    schema.add(args::spec(u"roi"_s, ArgType::String, {}, u"Data"_s, u"Region."_s));
    schema.add(args::required(args::spec(u"name"_s, ArgType::String, {}, u"Module"_s, u"Id."_s)));
    schema.add(args::spec(u"output"_s, ArgType::FolderPath, {}, u"Module"_s, u"Folder."_s));
    return schema;
}

// What the CLI makes of the flags: parsed by SchemaOptions, validated by the schema.
QVariantMap readBack(const ArgumentSchema &schema, const QStringList &flags)
{
    const cli::SchemaOptions options(schema);
    QCommandLineParser parser;
    options.addTo(parser);
    if (!parser.parse(QStringList{u"deepwb"_s} + flags)) {
        qWarning("%s", qPrintable(parser.errorText()));
        return {};
    }
    const Result<QVariantMap> typed = schema.validate(options.values(parser));
    return typed ? *typed : QVariantMap();
}

}  // namespace

class TestArgumentFlags : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formValuesBecomeFlags()
    {
        // As a form holds them: numbers as numbers or text, a list as "a, b".
        const QVariantMap form{
            {u"data"_s, u"/data/my plants"_s}, {u"epochs"_s, 30},     {u"lr"_s, 0.1},        {u"warmup"_s, 0.0},
            {u"arch"_s, u"smallcnn"_s},        {u"augment"_s, false}, {u"balanced"_s, true}, {u"name"_s, u"plants"_s}};
        const Result<QStringList> flags = argumentFlags(trainSchema(), form);
        QVERIFY2(flags, flags ? "" : qPrintable(flags.error().text()));
        QCOMPARE(*flags, (QStringList{u"--data"_s, u"/data/my plants"_s, u"--epochs"_s, u"30"_s, u"--lr"_s, u"0.1"_s,
                                      u"--arch"_s, u"smallcnn"_s, u"--no-augment"_s, u"--balanced"_s, u"--name"_s,
                                      u"plants"_s}));
    }

    void theCliReadsBackTheSameValues()
    {
        const ArgumentSchema schema = trainSchema();
        const QVariantMap form{{u"data"_s, u"/data/O'Brien's \"set\""_s},
                               {u"epochs"_s, u"7"_s},
                               {u"lr"_s, 3.0e-4},
                               {u"raster"_s, u"/r/a b.tif, /r/c.tif"_s},
                               {u"roi"_s, u"-5,0,100,100"_s},
                               {u"augment"_s, true},
                               {u"name"_s, u"x"_s}};
        const Result<QStringList> flags = argumentFlags(schema, form);
        QVERIFY2(flags, flags ? "" : qPrintable(flags.error().text()));
        QVERIFY(flags->contains(u"--roi=-5,0,100,100"_s));  // a value starting with '-' is not a flag
        QCOMPARE(flags->count(u"--raster"_s), 2);
        const QVariantMap expected = *schema.validate(form);
        QCOMPARE(readBack(schema, *flags), expected);
    }

    void skippedAndDefaultValuesAreLeftOut()
    {
        const QVariantMap form{{u"data"_s, u"d"_s},  {u"epochs"_s, 10},          {u"lr"_s, u"0.001"_s},
                               {u"augment"_s, true}, {u"output"_s, u"/tmp/o"_s}, {u"name"_s, u"n"_s}};
        const Result<QStringList> flags = argumentFlags(trainSchema(), form, {u"output"_s});
        QVERIFY(flags);
        QCOMPARE(*flags, (QStringList{u"--data"_s, u"d"_s, u"--name"_s, u"n"_s}));
    }

    void badValuesAreErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("says");
        QTest::newRow("out of range") << u"epochs"_s << QVariant(0) << u"between 1 and 1000"_s;
        QTest::newRow("not a choice") << u"arch"_s << QVariant(u"vgg"_s) << u"one of"_s;
        QTest::newRow("unknown") << u"colour"_s << QVariant(u"red"_s) << u"unknown argument"_s;
        QTest::newRow("comma in a list item") << u"raster"_s << QVariant(QStringList{u"/r/a,b.tif"_s}) << u"comma"_s;
    }

    void badValuesAreErrors()
    {
        QFETCH(QString, name);
        QFETCH(QVariant, value);
        QFETCH(QString, says);
        QVariantMap form{{u"data"_s, u"d"_s}, {u"name"_s, u"n"_s}};
        form.insert(name, value);
        const Result<QStringList> flags = argumentFlags(trainSchema(), form);
        QVERIFY(!flags);
        QCOMPARE(flags.error().field, name);
        QVERIFY2(flags.error().message.contains(says), qPrintable(flags.error().message));
    }
};

QTEST_GUILESS_MAIN(TestArgumentFlags)
#include "test_argument_flags.moc"
