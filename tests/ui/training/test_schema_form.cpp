// SchemaForm: a form built from an argument schema has a section per group, the editor
// each type asks for (ranges, enum choices, tool tips from the help), the defaults, and
// yields the validated arguments the task expects; a bad value names its field.
#include "ui/training/schema_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

using namespace dw;

namespace {

ArgumentSpec spec(const QString &name, ArgType type, const QVariant &def, const QString &group, const QString &help)
{
    ArgumentSpec s;
    s.name = name;
    s.type = type;
    s.defaultValue = def;
    s.group = group;
    s.help = help;
    return s;
}

// A train schema shaped like the image classifier's.
ArgumentSchema trainSchema()
{
    ArgumentSchema s;
    ArgumentSpec data = spec(QStringLiteral("data"), ArgType::FolderPath, {}, QStringLiteral("Data"),
                             QStringLiteral("The labelled images."));
    data.required = true;
    s.add(data);
    ArgumentSpec val = spec(QStringLiteral("val-fraction"), ArgType::Float, 0.1, QStringLiteral("Data"),
                            QStringLiteral("Validation share."));
    val.minimum = 0.0;
    val.maximum = 0.9;
    s.add(val);
    s.add(
        spec(QStringLiteral("augment"), ArgType::Bool, true, QStringLiteral("Data"), QStringLiteral("Random flips.")));
    ArgumentSpec arch = spec(QStringLiteral("arch"), ArgType::Enum, QStringLiteral("resnet18"), QStringLiteral("Model"),
                             QStringLiteral("The network."));
    arch.choices = {QStringLiteral("smallcnn"), QStringLiteral("resnet18"), QStringLiteral("mobilenetv2")};
    s.add(arch);
    ArgumentSpec epochs = spec(QStringLiteral("epochs"), ArgType::Int, 10, QStringLiteral("Training"),
                               QStringLiteral("Passes over the data."));
    epochs.minimum = 1;
    epochs.maximum = 10000;
    s.add(epochs);
    ArgumentSpec lr = spec(QStringLiteral("lr"), ArgType::Float, 0.001, QStringLiteral("Optimiser"),
                           QStringLiteral("Learning rate."));
    lr.minimum = 1e-7;
    lr.maximum = 10.0;
    s.add(lr);
    ArgumentSpec tags =
        spec(QStringLiteral("tags"), ArgType::List, {}, QStringLiteral("Module"), QStringLiteral("Keywords."));
    s.add(tags);
    ArgumentSpec name = spec(QStringLiteral("name"), ArgType::String, {}, QStringLiteral("Module"),
                             QStringLiteral("Id of the module."));
    name.required = true;
    s.add(name);
    s.add(spec(QStringLiteral("output"), ArgType::FolderPath, {}, QStringLiteral("Module"),
               QStringLiteral("Module folder.")));
    return s;
}

}  // namespace

class TestSchemaForm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sectionsFollowTheGroups();
    void editorsFitTheTypes();
    void defaultsAreFilledIn();
    void yieldsTheExpectedArguments_data();
    void yieldsTheExpectedArguments();
    void badValueNamesItsField_data();
    void badValueNamesItsField();
    void resetRestoresTheDefaults();
    void aNewDefaultIsFollowedUnlessChanged();
    void pathListsHaveABrowseButton();
    void aZeroThatMeansSomethingSaysSo();
};

void TestSchemaForm::sectionsFollowTheGroups()
{
    SchemaForm form;
    form.setSchema(trainSchema(), {QStringLiteral("output")});
    // The groups with a required field (the data, the module's name) come first (issue 17
    // item 6: the required Name was last), the others in the schema's order.
    QCOMPARE(form.groupTitles(), (QStringList{QStringLiteral("Data"), QStringLiteral("Module"), QStringLiteral("Model"),
                                              QStringLiteral("Training"), QStringLiteral("Optimiser")}));
    // Short CLI names are spelt out (issue 17 item 13: "Learning rate" not "Lr").
    QCOMPARE(form.label(QStringLiteral("lr"))->text(), QStringLiteral("Learning rate"));
    QCOMPARE(form.label(QStringLiteral("val-fraction"))->text(), QStringLiteral("Validation fraction"));
    QVERIFY(form.label(QStringLiteral("data"))->text().endsWith(QLatin1String(" *")));  // required
    QVERIFY(!form.editor(QStringLiteral("output")));                                    // hidden: the page fills it
    QVERIFY(!form.values().contains(QStringLiteral("output")));
}

void TestSchemaForm::editorsFitTheTypes()
{
    SchemaForm form;
    form.setSchema(trainSchema());
    auto *epochs = qobject_cast<QSpinBox *>(form.editor(QStringLiteral("epochs")));
    QVERIFY(epochs);
    QCOMPARE(epochs->minimum(), 1);
    QCOMPARE(epochs->maximum(), 10000);
    QVERIFY(epochs->toolTip().startsWith(QLatin1String("Passes over the data.")));
    QVERIFY(epochs->toolTip().contains(QLatin1String("1 to 10000")));
    auto *arch = qobject_cast<QComboBox *>(form.editor(QStringLiteral("arch")));
    QVERIFY(arch);
    QCOMPARE(arch->count(), 3);
    QCOMPARE(arch->itemText(2), QStringLiteral("mobilenetv2"));
    QVERIFY(qobject_cast<QCheckBox *>(form.editor(QStringLiteral("augment"))));
    QVERIFY(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("lr"))));
    QVERIFY(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("data"))));
    QCOMPARE(form.editor(QStringLiteral("lr"))->toolTip().section(QLatin1Char('\n'), 0, 0),
             QStringLiteral("Learning rate."));
}

void TestSchemaForm::defaultsAreFilledIn()
{
    SchemaForm form;
    form.setSchema(trainSchema());
    QCOMPARE(form.value(QStringLiteral("epochs")).toInt(), 10);
    QCOMPARE(form.value(QStringLiteral("arch")).toString(), QStringLiteral("resnet18"));
    QCOMPARE(form.value(QStringLiteral("augment")).toBool(), true);
    QCOMPARE(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("lr")))->text(), QStringLiteral("0.001"));
    QVERIFY(!form.value(QStringLiteral("data")).isValid());  // no default: left out
}

void TestSchemaForm::yieldsTheExpectedArguments_data()
{
    QTest::addColumn<bool>("typed");  // through the editors (keyboard) or setValue()
    QTest::newRow("setValue") << false;
    QTest::newRow("keyboard") << true;
}

void TestSchemaForm::yieldsTheExpectedArguments()
{
    QFETCH(bool, typed);
    SchemaForm form;
    form.setSchema(trainSchema(), {QStringLiteral("output")});
    form.show();
    if (typed) {
        QTest::keyClicks(form.editor(QStringLiteral("data")), QStringLiteral("/data/shapes"));
        auto *epochs = qobject_cast<QSpinBox *>(form.editor(QStringLiteral("epochs")));
        epochs->selectAll();
        QTest::keyClicks(epochs, QStringLiteral("3"));
        auto *lr = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("lr")));
        lr->selectAll();
        QTest::keyClicks(lr, QStringLiteral("0.05"));
        qobject_cast<QComboBox *>(form.editor(QStringLiteral("arch")))->setCurrentIndex(0);
        QTest::mouseClick(form.editor(QStringLiteral("augment")), Qt::LeftButton);
        QTest::keyClicks(form.editor(QStringLiteral("name")), QStringLiteral("shapes"));
        QTest::keyClicks(form.editor(QStringLiteral("tags")), QStringLiteral("a, b"));
    } else {
        form.setValue(QStringLiteral("data"), QStringLiteral("/data/shapes"));
        form.setValue(QStringLiteral("epochs"), 3);
        form.setValue(QStringLiteral("lr"), 0.05);
        form.setValue(QStringLiteral("arch"), QStringLiteral("smallcnn"));
        form.setValue(QStringLiteral("augment"), false);
        form.setValue(QStringLiteral("name"), QStringLiteral("shapes"));
        form.setValue(QStringLiteral("tags"), QStringList{QStringLiteral("a"), QStringLiteral("b")});
    }
    const Result<QVariantMap> args = form.arguments({{QStringLiteral("output"), QStringLiteral("/catalog/shapes")}});
    QVERIFY2(args.ok(), qPrintable(args ? QString() : args.error().text()));
    const QVariantMap &a = args.value();
    QCOMPARE(a.value(QStringLiteral("data")).toString(), QStringLiteral("/data/shapes"));
    QCOMPARE(a.value(QStringLiteral("epochs")).toInt(), 3);
    QCOMPARE(a.value(QStringLiteral("lr")).toDouble(), 0.05);
    QCOMPARE(a.value(QStringLiteral("arch")).toString(), QStringLiteral("smallcnn"));
    QCOMPARE(a.value(QStringLiteral("augment")).toBool(), false);
    QCOMPARE(a.value(QStringLiteral("val-fraction")).toDouble(), 0.1);
    QCOMPARE(a.value(QStringLiteral("name")).toString(), QStringLiteral("shapes"));
    QCOMPARE(a.value(QStringLiteral("output")).toString(), QStringLiteral("/catalog/shapes"));
    QCOMPARE(a.value(QStringLiteral("tags")).toStringList(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestSchemaForm::badValueNamesItsField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("value");
    QTest::newRow("required left empty") << QStringLiteral("name") << QVariant(QString());
    QTest::newRow("out of range") << QStringLiteral("val-fraction") << QVariant(0.95);
    QTest::newRow("not a number") << QStringLiteral("lr") << QVariant(QStringLiteral("1e"));
}

void TestSchemaForm::badValueNamesItsField()
{
    QFETCH(QString, field);
    QFETCH(QVariant, value);
    SchemaForm form;
    form.setSchema(trainSchema());
    form.setValue(QStringLiteral("data"), QStringLiteral("/data"));
    form.setValue(QStringLiteral("name"), QStringLiteral("x"));
    form.setValue(field, value);
    const Result<QVariantMap> args = form.arguments();
    QVERIFY(!args.ok());
    QCOMPARE(args.error().field, field);
    auto *error = form.findChild<QLabel *>(QStringLiteral("schemaFormError"));
    QVERIFY(error && !error->isHidden());
    QVERIFY(error->text().contains(field));
}

void TestSchemaForm::resetRestoresTheDefaults()
{
    SchemaForm form;
    form.setSchema(trainSchema());
    form.setValue(QStringLiteral("epochs"), 77);
    form.setValue(QStringLiteral("arch"), QStringLiteral("mobilenetv2"));
    form.setValue(QStringLiteral("name"), QStringLiteral("x"));
    QTest::mouseClick(form.resetButton(), Qt::LeftButton);
    QCOMPARE(form.value(QStringLiteral("epochs")).toInt(), 10);
    QCOMPARE(form.value(QStringLiteral("arch")).toString(), QStringLiteral("resnet18"));
    QVERIFY(!form.value(QStringLiteral("name")).isValid());
}

// Issue 21: the precision's default is the GUI setting; the form follows it while the user has
// not chosen another value there, and Reset gives the new default.
void TestSchemaForm::aNewDefaultIsFollowedUnlessChanged()
{
    SchemaForm form;
    form.setSchema(trainSchema());
    const QString arch = QStringLiteral("arch");
    form.setDefaultValue(arch, QStringLiteral("smallcnn"));
    QCOMPARE(form.value(arch).toString(), QStringLiteral("smallcnn"));
    QVERIFY(form.editor(arch)->toolTip().contains(QLatin1String("Default: smallcnn.")));
    QCOMPARE(form.schema().find(arch)->defaultValue.toString(), QStringLiteral("smallcnn"));
    form.setValue(arch, QStringLiteral("resnet18"));  // the user's choice
    form.setDefaultValue(arch, QStringLiteral("mobilenetv2"));
    QCOMPARE(form.value(arch).toString(), QStringLiteral("resnet18"));
    form.reset();
    QCOMPARE(form.value(arch).toString(), QStringLiteral("mobilenetv2"));
    form.setDefaultValue(QStringLiteral("no-such-argument"), 1);  // ignored
    QVERIFY(!form.schema().find(QStringLiteral("no-such-argument")));
}

// Issue 17 item 8: the rasters of a super-resolution training are chosen with Browse, not typed.
void TestSchemaForm::pathListsHaveABrowseButton()
{
    ArgumentSchema schema;
    ArgumentSpec rasters =
        spec(QStringLiteral("raster"), ArgType::List, {}, QStringLiteral("Data"), QStringLiteral("The rasters."));
    rasters.itemType = ArgType::FilePath;
    schema.add(rasters);
    schema.add(spec(QStringLiteral("tags"), ArgType::List, {}, QStringLiteral("Data"), QStringLiteral("Words.")));
    SchemaForm form;
    form.setSchema(schema);
    QVERIFY(form.findChild<QToolButton *>(QStringLiteral("browse-raster")));
    QVERIFY(!form.findChild<QToolButton *>(QStringLiteral("browse-tags")));  // words are typed
    form.setValue(QStringLiteral("raster"), QStringList{QStringLiteral("/a.tif"), QStringLiteral("/b.tif")});
    QCOMPARE(form.value(QStringLiteral("raster")).toString(), QStringLiteral("/a.tif, /b.tif"));
}

// Issue 17 item 6: "Image size 0" is shown as what 0 means (the architecture's own size).
void TestSchemaForm::aZeroThatMeansSomethingSaysSo()
{
    const auto counted = [](const QString &name, int def, const QString &help) {
        ArgumentSpec s = spec(name, ArgType::Int, def, QStringLiteral("Model"), help);
        s.minimum = 0.0;
        s.maximum = 4096.0;
        return s;
    };
    ArgumentSchema schema;
    schema.add(counted(QStringLiteral("image-size"), 0,
                       QStringLiteral("Side of the input in pixels; 0: 28 for smallcnn, 224 for the others (the "
                                      "parent's when re-training).")));
    schema.add(counted(QStringLiteral("workers"), 0, QStringLiteral("Threads decoding images; 0: one per core.")));
    schema.add(counted(QStringLiteral("epochs"), 10, QStringLiteral("Passes over the data.")));
    SchemaForm form;
    form.setSchema(schema);
    const auto box = [&](const char *name) { return qobject_cast<QSpinBox *>(form.editor(QLatin1String(name))); };
    QCOMPARE(box("image-size")->specialValueText(), QStringLiteral("28 for smallcnn, 224 for the others"));
    QCOMPARE(box("image-size")->text(), QStringLiteral("28 for smallcnn, 224 for the others"));
    QCOMPARE(box("workers")->specialValueText(), QStringLiteral("one per core"));
    QVERIFY(box("epochs")->specialValueText().isEmpty());           // its help gives 0 no meaning
    QCOMPARE(form.value(QStringLiteral("image-size")).toInt(), 0);  // still 0 for the task
    form.setValue(QStringLiteral("image-size"), 224);
    QCOMPARE(box("image-size")->text(), QStringLiteral("224"));
}

QTEST_MAIN(TestSchemaForm)
#include "test_schema_form.moc"
