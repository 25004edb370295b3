// Settings ▸ Precision on the CPU (issue 21): the choice is kept in QSettings; the status bar's
// device indicator says what it gives on the CPU and opens the menu; only argument schemas with
// a `precision` get it; the Train form's precision follows the setting (a value chosen in the
// form stays, a parent's recorded precision does not carry over); and the jobs the GUI starts
// run in it: a classification and a training, as their job logs say ("precision: fp32",
// "precision: bf16 (asked for)"). Pictures of the menu go to <build>/screenshots/.
#include "core/catalog/catalog_entry.h"
#include "core/jobs/job_manager.h"
#include "core/ml/precision.h"
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/device_indicator.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/main_window.h"
#include "ui/precision_menu.h"
#include "ui/precision_setting.h"
#include "ui/training/dataset_page.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QMenuBar>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace dw;
using dw::test::TestCatalog;

namespace {

const QString kPrecision = QStringLiteral("precision");

// What auto gives a prediction on the CPU here (bf16 on a processor with native bfloat16).
QString autoOnTheCpu()
{
    return ml::precisionName(*ml::resolvePrecision(QStringLiteral("auto"), QStringLiteral("cpu")));
}

}  // namespace

class TestPrecisionSetting : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void choiceIsKeptInTheSettings();
    void onlySchemasWithPrecisionGetIt();
    void statusBarFollows_data();
    void statusBarFollows();
    void trainFormFollows();
    void classificationRunsInTheChoice_data();
    void classificationRunsInTheChoice();
    void trainingRunsInTheChoice();
    void savesScreenshots();

private:
    void choose(const QString &choice);
    QString data(const QString &name) const { return m_data.filePath(name); }
    PrecisionMenu *menu() const { return m_window->findChild<PrecisionMenu *>(QStringLiteral("precisionMenu")); }
    // The job's log once it has finished; empty (and a failure) when it did not succeed.
    void waitForLog(const QString &jobId, QStringList &log);
    QImage shotWith(const QList<QWidget *> &popups) const;  // the window with these popups on it

    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
};

void TestPrecisionSetting::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("deep-workbench-tests"));
    test::isolateSettings(m_settings.path());
    test::usePluginsFromTheBuild();
    m_catalog = std::make_unique<TestCatalog>();
    QVERIFY(m_catalog->isValid());
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("shapes")), 16, 1));
    const QString trained = test::trainModule(data(QStringLiteral("shapes")), QStringLiteral("shapes"),
                                              QDir(m_catalog->path()).filePath(QStringLiteral("shapes")), 1);
    QVERIFY2(trained.isEmpty(), trained.isEmpty() ? "" : qPrintable(trained));
    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    QCOMPARE(m_window->context().precision().value(), QStringLiteral("auto"));  // nothing saved yet
    QVERIFY(menu());
}

void TestPrecisionSetting::cleanupTestCase()
{
    if (m_window)
        m_window->context().jobs().waitForAll(60000);
    m_window.reset();
    m_catalog.reset();
}

void TestPrecisionSetting::choose(const QString &choice)
{
    QAction *action = menu()->action(choice);
    QVERIFY2(action, action ? "" : qPrintable(choice));
    action->trigger();
    QCOMPARE(m_window->context().precision().value(), choice);
    QVERIFY(action->isChecked());
}

void TestPrecisionSetting::waitForLog(const QString &jobId, QStringList &log)
{
    JobManager &jobs = m_window->context().jobs();
    QTRY_VERIFY_WITH_TIMEOUT(isFinished(jobs.job(jobId).state), 60000);
    const JobInfo job = jobs.job(jobId);
    const bool done = job.state == JobState::Done;
    QVERIFY2(done, done ? "" : qPrintable(job.title + QStringLiteral(": ") + job.error));
    log = job.log;
}

void TestPrecisionSetting::choiceIsKeptInTheSettings()
{
    // The menu sits under Settings in the menu bar, one radio item per choice.
    QMenu *settings = m_window->menuBar()->findChild<QMenu *>(QStringLiteral("settingsMenu"));
    QVERIFY(settings);
    QVERIFY(settings->actions().contains(menu()->menuAction()));
    QCOMPARE(menu()->actions().size(), 3);
    QVERIFY(menu()->action(QStringLiteral("auto"))->isChecked());
    QVERIFY(menu()->action(QStringLiteral("auto"))->toolTip().contains(ml::describeAutoPrecision()));

    choose(QStringLiteral("fp32"));
    QCOMPARE(QSettings().value(PrecisionSetting::settingsKey()).toString(), QStringLiteral("fp32"));
    QCOMPARE(PrecisionSetting().value(), QStringLiteral("fp32"));  // what the next start reads
    choose(QStringLiteral("bf16"));
    QCOMPARE(PrecisionSetting().value(), QStringLiteral("bf16"));

    // A word that is not a choice is refused and changes nothing; a saved one reads as auto.
    const Result<void> refused = m_window->context().precision().setValue(QStringLiteral("fp16"));
    QVERIFY(!refused);
    const bool named = refused.error().text().contains(QLatin1String("auto, fp32, bf16"));
    QVERIFY2(named, named ? "" : qPrintable(refused.error().text()));
    QCOMPARE(m_window->context().precision().value(), QStringLiteral("bf16"));
    QSettings().setValue(PrecisionSetting::settingsKey(), QStringLiteral("fast"));
    QCOMPARE(PrecisionSetting().value(), QStringLiteral("auto"));
    choose(QStringLiteral("auto"));
    QCOMPARE(QSettings().value(PrecisionSetting::settingsKey()).toString(), QStringLiteral("auto"));
}

void TestPrecisionSetting::onlySchemasWithPrecisionGetIt()
{
    choose(QStringLiteral("fp32"));
    const PrecisionSetting &setting = m_window->context().precision();
    TaskPlugin *plugin = test::imageClassPlugin();
    QVERIFY(plugin);
    QVERIFY(plugin->predictArguments().find(kPrecision));
    const ArgumentSchema predict = setting.applyTo(plugin->predictArguments());
    QCOMPARE(predict.defaults().value(kPrecision).toString(), QStringLiteral("fp32"));
    // What a call gives explicitly wins over the setting.
    const Result<QVariantMap> explicitAuto =
        predict.validate({{QStringLiteral("module"), m_catalog->path()},
                          {QStringLiteral("inputs"), QStringList{data(QStringLiteral("shapes/circle/000.png"))}},
                          {kPrecision, QStringLiteral("auto")}});
    QVERIFY2(explicitAuto, explicitAuto ? "" : qPrintable(explicitAuto.error().text()));
    QCOMPARE(explicitAuto->value(kPrecision).toString(), QStringLiteral("auto"));
    // A schema without the argument is left as it is: validation would refuse an unknown name.
    const ArgumentSchema import = setting.applyTo(plugin->importArguments());
    QVERIFY(!import.find(kPrecision));
    QCOMPARE(import.specs().size(), plugin->importArguments().specs().size());
    choose(QStringLiteral("auto"));
}

void TestPrecisionSetting::statusBarFollows_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<QString>("shown");
    QTest::newRow("fp32") << QStringLiteral("fp32") << QStringLiteral("fp32");
    QTest::newRow("bf16") << QStringLiteral("bf16") << QStringLiteral("bf16");
    QTest::newRow("auto") << QStringLiteral("auto") << autoOnTheCpu();
}

void TestPrecisionSetting::statusBarFollows()
{
    QFETCH(QString, choice);
    QFETCH(QString, shown);
    DeviceIndicator *device = m_window->deviceIndicator();
    QTRY_VERIFY_WITH_TIMEOUT(device->isDetected(), 20000);
    choose(choice);
    const QString label = PrecisionSetting::label(choice).remove(QLatin1Char('&'));
    const bool saysTheSetting = device->toolTip().contains(label);
    QVERIFY2(saysTheSetting, saysTheSetting ? "" : qPrintable(device->toolTip()));
    if (device->deviceId().startsWith(QLatin1String("cuda"))) {
        // The GPU keeps its own mixed precision: the label names no CPU precision there.
        const bool none =
            !device->text().endsWith(QLatin1String("fp32")) && !device->text().endsWith(QLatin1String("bf16"));
        QVERIFY2(none, none ? "" : qPrintable(device->text()));
    } else {
        const bool shows = device->text().endsWith(QStringLiteral(", ") + shown);
        QVERIFY2(shows, shows ? "" : qPrintable(device->text()));
        const bool says = device->toolTip().contains(PrecisionSetting::explanation(choice));
        QVERIFY2(says, says ? "" : qPrintable(device->toolTip()));
    }
    // A click on it opens the menu.
    QTest::mouseClick(device, Qt::LeftButton);
    QTRY_VERIFY(menu()->isVisible());
    menu()->hide();
}

void TestPrecisionSetting::trainFormFollows()
{
    choose(QStringLiteral("fp32"));
    auto *train = m_window->workspace<TrainingWorkspace>();
    QVERIFY(train);
    m_window->setCurrentWorkspace(train->id());
    QVERIFY(train->newModule(QString::fromLatin1(test::imageClassTask())));
    SchemaForm *form = train->form();
    // The form's own precision field (no second control) starts at the setting...
    auto *field = qobject_cast<QComboBox *>(form->editor(kPrecision));
    QVERIFY(field);
    QCOMPARE(field->currentText(), QStringLiteral("fp32"));
    const bool saysDefault = field->toolTip().contains(QLatin1String("Default: fp32"));
    QVERIFY2(saysDefault, saysDefault ? "" : qPrintable(field->toolTip()));
    // ...and follows it while the user has not chosen otherwise there.
    choose(QStringLiteral("bf16"));
    QCOMPARE(form->value(kPrecision).toString(), QStringLiteral("bf16"));
    // A choice made in the form is the user's: it stays, and Reset gives the setting again.
    field->setCurrentText(QStringLiteral("fp32"));
    choose(QStringLiteral("auto"));
    QCOMPARE(form->value(kPrecision).toString(), QStringLiteral("fp32"));
    form->reset();
    QCOMPARE(form->value(kPrecision).toString(), QStringLiteral("auto"));
    // The cluster command says what differs from deepwb's own default (auto).
    form->setValue(QStringLiteral("name"), QStringLiteral("cluster-shapes"));
    form->setValue(QStringLiteral("data"), data(QStringLiteral("shapes")));
    Result<QStringList> command = train->trainCommand();
    QVERIFY2(command, command ? "" : qPrintable(command.error().text()));
    const bool noFlag = !command->contains(QLatin1String("--precision"));
    QVERIFY2(noFlag, noFlag ? "" : qPrintable(command->join(QLatin1Char(' '))));
    choose(QStringLiteral("fp32"));
    command = train->trainCommand();
    QVERIFY2(command, command ? "" : qPrintable(command.error().text()));
    const qsizetype flag = command->indexOf(QLatin1String("--precision"));
    const bool flagged = flag >= 0 && command->value(flag + 1) == QLatin1String("fp32");
    QVERIFY2(flagged, flagged ? "" : qPrintable(command->join(QLatin1Char(' '))));
    choose(QStringLiteral("auto"));
}

void TestPrecisionSetting::classificationRunsInTheChoice_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<QString>("logged");
    // Asked for: the bare line; auto: the line with why.
    QTest::newRow("fp32") << QStringLiteral("fp32") << QStringLiteral("precision: fp32");
    QTest::newRow("bf16") << QStringLiteral("bf16") << QStringLiteral("precision: bf16");
    QTest::newRow("auto")
        << QStringLiteral("auto")
        << QStringLiteral("precision: %1 (auto: %2)").arg(autoOnTheCpu(), ml::describeAutoPrecision());
}

void TestPrecisionSetting::classificationRunsInTheChoice()
{
    QFETCH(QString, choice);
    QFETCH(QString, logged);
    // The setting is the CPU's: the job runs there even on a machine with a GPU.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->deviceIndicator()->isDetected(), 20000);
    m_window->context().setDevice(QStringLiteral("cpu"));
    choose(choice);
    m_window->setCurrentWorkspace(QStringLiteral("catalog"));
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(QStringLiteral("shapes")));
    auto *classify = m_window->workspace<ClassifyWorkspace>();
    QVERIFY(classify && classify->currentClassifier());
    const QString jobId = classify->classify({data(QStringLiteral("shapes/circle/000.png"))});
    QVERIFY(!jobId.isEmpty());
    QStringList log;
    waitForLog(jobId, log);
    const bool found = log.contains(logged);
    QVERIFY2(found,
             found ? "" : qPrintable(QStringLiteral("no '%1' in:\n%2").arg(logged, log.join(QLatin1Char('\n')))));
}

void TestPrecisionSetting::trainingRunsInTheChoice()
{
    m_window->context().setDevice(QStringLiteral("cpu"));
    choose(QStringLiteral("bf16"));
    auto *train = m_window->workspace<TrainingWorkspace>();
    m_window->setCurrentWorkspace(train->id());
    QVERIFY(train->newModule(QString::fromLatin1(test::imageClassTask())));
    QSignalSpy ready(train->datasetPage(), &DatasetPage::summaryReady);
    train->datasetPage()->setPath(data(QStringLiteral("shapes")));
    QVERIFY(ready.wait(10000));
    const QVariantMap args =
        test::quickTrainArguments(data(QStringLiteral("shapes")), QStringLiteral("bf16-shapes"), QString(), 1);
    for (auto it = args.begin(); it != args.end(); ++it)
        if (it.key() != QLatin1String("output"))
            train->form()->setValue(it.key(), it.value());
    const QString jobId = train->startTraining();
    QVERIFY(!jobId.isEmpty());
    QStringList log;
    waitForLog(jobId, log);
    const QString said = QStringLiteral("precision: bf16 (asked for)");
    const bool found =
        std::any_of(log.cbegin(), log.cend(), [&](const QString &line) { return line.startsWith(said); });
    QVERIFY2(found, found ? "" : qPrintable(QStringLiteral("no '%1' in:\n%2").arg(said, log.join(QLatin1Char('\n')))));

    // Its manifest records bf16; re-training it here follows the setting, not the parent's machine.
    CatalogService &catalog = m_window->context().catalog();
    QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("bf16-shapes")) && !catalog.isScanning(), 20000);
    QCOMPARE(catalog.find(QStringLiteral("bf16-shapes"))->manifest.hyperParameters.value(kPrecision).toString(),
             QStringLiteral("bf16"));
    choose(QStringLiteral("fp32"));
    QVERIFY(train->retrain(QStringLiteral("bf16-shapes")));
    QCOMPARE(train->form()->value(kPrecision).toString(), QStringLiteral("fp32"));
    choose(QStringLiteral("auto"));
}

QImage TestPrecisionSetting::shotWith(const QList<QWidget *> &popups) const
{
    QTest::qWait(300);
    // Popups are windows of their own: each is drawn where it floats over the main window.
    QImage shot = m_window->grab().toImage();
    QPainter painter(&shot);
    const QPoint origin = m_window->mapToGlobal(QPoint(0, 0));
    for (QWidget *popup : popups)
        if (popup->isVisible())
            painter.drawPixmap(popup->pos() - origin, popup->grab());
    return shot;
}

void TestPrecisionSetting::savesScreenshots()
{
    // Settings ▸ Precision on the CPU open, and the same menu opened from the status bar, to
    // <build>/screenshots/ (DW_SCREENSHOT_DIR: elsewhere).
    const QString folder = qEnvironmentVariable("DW_SCREENSHOT_DIR", QStringLiteral(DW_BUILD_DIR "/screenshots"));
    QVERIFY(QDir().mkpath(folder));
    choose(QStringLiteral("auto"));
    m_window->setCurrentWorkspace(QStringLiteral("catalog"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->deviceIndicator()->isDetected(), 20000);

    auto *settings = m_window->menuBar()->findChild<QMenu *>(QStringLiteral("settingsMenu"));
    QVERIFY(settings);
    m_window->menuBar()->setActiveAction(settings->menuAction());
    QTRY_VERIFY(settings->isVisible());
    settings->setActiveAction(menu()->menuAction());
    QTest::keyClick(settings, Qt::Key_Right);
    QTRY_VERIFY(menu()->isVisible());
    menu()->setActiveAction(menu()->action(QStringLiteral("auto")));
    const QImage fromMenuBar = shotWith({settings, menu()});
    settings->hide();
    menu()->hide();
    m_window->menuBar()->setActiveAction(nullptr);
    QVERIFY(fromMenuBar.save(QDir(folder).filePath(QStringLiteral("precision-setting-menu.png"))));

    QTest::mouseClick(m_window->deviceIndicator(), Qt::LeftButton);
    QTRY_VERIFY(menu()->isVisible());
    const QImage fromStatusBar = shotWith({menu()});
    menu()->hide();
    QVERIFY(fromStatusBar.save(QDir(folder).filePath(QStringLiteral("precision-setting-status-bar.png"))));
    qInfo("saved to %s", qPrintable(folder));
}

QTEST_MAIN(TestPrecisionSetting)
#include "test_precision_setting.moc"
