// The image classification plugin as the loader sees it: metadata, the exact argument names
// of its train/predict/evaluate schemas (the CLI flags and REST parameters), defaults that
// validate, and clear errors for a missing module or dataset.
#include "core/task/plugin_manager.h"

#include <QTemporaryDir>
#include <QtTest>

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

class TestImageClassPlugin : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_manager.load({QStringLiteral(DW_PLUGIN_DIR)});
        m_plugin = m_manager.plugin(u"image-classification"_s);
        QVERIFY2(m_plugin, "libimageclass.so did not load");
    }

    void metadata()
    {
        const TaskMetadata meta = m_plugin->metadata();
        QCOMPARE(meta.task, u"image-classification"_s);
        QCOMPARE(meta.architectures, (QStringList{u"smallcnn"_s, u"resnet18"_s, u"resnet34"_s, u"resnet50"_s,
                                                  u"mobilenetv2"_s, u"efficientnet_b0"_s, u"convnext_tiny"_s}));
    }

    void schemaNames()
    {
        QStringList train = namesOf(m_plugin->trainArguments());
        train.sort();
        QStringList expected{u"data"_s,
                             u"arch"_s,
                             u"epochs"_s,
                             u"batch"_s,
                             u"lr"_s,
                             u"image-size"_s,
                             u"optimizer"_s,
                             u"schedule"_s,
                             u"warmup"_s,
                             u"weight-decay"_s,
                             u"label-smoothing"_s,
                             u"balanced"_s,
                             u"patience"_s,
                             u"seed"_s,
                             u"workers"_s,
                             u"val-fraction"_s,
                             u"test-fraction"_s,
                             u"augment"_s,
                             u"name"_s,
                             u"output"_s,
                             u"init"_s,
                             u"parent"_s,
                             u"freeze"_s,
                             u"resume"_s,
                             u"precision"_s};
        expected.sort();
        QCOMPARE(train, expected);
        QCOMPARE(namesOf(m_plugin->predictArguments()),
                 (QStringList{u"module"_s, u"inputs"_s, u"top"_s, u"tta"_s, u"precision"_s, u"cam"_s, u"cam-class"_s}));
        QCOMPARE(namesOf(m_plugin->evaluateArguments()),
                 (QStringList{u"module"_s, u"data"_s, u"predictions"_s, u"precision"_s}));
        QCOMPARE(namesOf(m_plugin->importArguments()),
                 (QStringList{u"model"_s, u"labels"_s, u"input-size"_s, u"channels"_s, u"normalization"_s, u"name"_s,
                              u"title"_s, u"output"_s}));
        // Every argument is documented and in a form section.
        for (const ArgumentSchema &schema : {m_plugin->trainArguments(), m_plugin->predictArguments(),
                                             m_plugin->evaluateArguments(), m_plugin->importArguments()}) {
            for (const ArgumentSpec &spec : schema.specs()) {
                QVERIFY2(!spec.help.isEmpty(), qPrintable(spec.name));
                QVERIFY2(!spec.group.isEmpty(), qPrintable(spec.name));
            }
        }
    }

    void defaultsValidate()
    {
        const Result<QVariantMap> args =
            m_plugin->trainArguments().validate({{u"data"_s, u"/d"_s}, {u"name"_s, u"m"_s}});
        QVERIFY2(args.ok(), qPrintable(args.ok() ? QString() : args.error().text()));
        QCOMPARE(args->value(u"arch"_s).toString(), u"resnet18"_s);
        QCOMPARE(args->value(u"freeze"_s).toString(), u"full"_s);
        QCOMPARE(args->value(u"init"_s).toString(), u"auto"_s);
        QCOMPARE(args->value(u"augment"_s).toBool(), true);
        const Result<QVariantMap> missing = m_plugin->trainArguments().validate({{u"name"_s, u"m"_s}});
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().field, u"data"_s);
        const Result<QVariantMap> predict =
            m_plugin->predictArguments().validate({{u"module"_s, u"/m"_s}, {u"inputs"_s, QStringList{u"/a.png"_s}}});
        QVERIFY(predict.ok());
        QCOMPARE(predict->value(u"top"_s).toInt(), 5);
    }

    void clearErrors()
    {
        QTemporaryDir dir;
        JobContext context;
        const Result<void> warmed = m_plugin->warm(dir.filePath(u"no-module"_s), context);
        QVERIFY(!warmed.ok());
        QVERIFY2(!warmed.error().message.isEmpty(), "no message");

        const Result<TaskResult> trained = m_plugin->train(
            {{u"data"_s, dir.filePath(u"no-data"_s)}, {u"name"_s, u"m"_s}, {u"output"_s, dir.filePath(u"m"_s)}},
            context);
        QVERIFY(!trained.ok());
        QCOMPARE(trained.error().field, u"data"_s);
        QVERIFY2(trained.error().message.contains(u"no-data"_s), qPrintable(trained.error().message));

        const Result<TaskResult> noOutput = m_plugin->train({{u"data"_s, dir.path()}, {u"name"_s, u"m"_s}}, context);
        QVERIFY(!noOutput.ok());
        QCOMPARE(noOutput.error().field, u"output"_s);

        const Result<TaskResult> evaluated =
            m_plugin->evaluate({{u"module"_s, dir.path()}, {u"data"_s, dir.filePath(u"no-data"_s)}}, context);
        QVERIFY(!evaluated.ok());
        QCOMPARE(evaluated.error().field, u"data"_s);
    }
};

QTEST_GUILESS_MAIN(TestImageClassPlugin)
#include "test_imageclass_plugin.moc"
