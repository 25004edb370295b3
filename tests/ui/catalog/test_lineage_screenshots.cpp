// The three lineage views in the real main window, saved as PNG for the documentation:
// the family tree under the catalog page, the Compare window and the Run History.
// DW_SCREENSHOT_DIR chooses the folder (scripts/lineage_screenshots.sh: docs/images under
// xvfb-run); otherwise <build>/screenshots. Also checks each view is there and readable.
#include "core/catalog/catalog_model.h"
#include "core/jobs/run_record.h"
#include "core/task/plugin_manager.h"
#include "gui/gui_test_support.h"
#include "gui/lineage_fixture.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/catalog/compare_action.h"
#include "ui/catalog/compare_view.h"
#include "ui/catalog/lineage_tree.h"
#include "ui/jobs/run_record_model.h"
#include "ui/jobs/runs_view.h"
#include "ui/jobs/runs_window.h"
#include "ui/main_window.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QListView>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

#include <memory>

using namespace dw;
using dw::test::LineageFamily;
using dw::test::TestCatalog;

class TestLineageScreenshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void familyTree();
    void compareWindow();
    void runHistory();

private:
    CatalogWorkspace *catalog() const { return m_window->findChild<CatalogWorkspace *>(); }
    void save(QWidget *widget, const QString &name);
    void writeRuns();

    QTemporaryDir m_settings;
    QTemporaryDir m_runs;
    std::unique_ptr<TestCatalog> m_catalog;
    QHash<QString, QString> m_folders;
    std::unique_ptr<MainWindow> m_window;
    QString m_folder;
};

void TestLineageScreenshots::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_folder = qEnvironmentVariable("DW_SCREENSHOT_DIR", QStringLiteral(DW_BUILD_DIR "/screenshots"));
    QVERIFY(QDir().mkpath(m_folder));
    // The task plugins, as in the application: the pictures show no "no plugin yet" badges.
    qputenv("DEEPWB_PLUGIN_PATH", DW_PLUGIN_DIR);
    m_catalog = std::make_unique<TestCatalog>();
    m_folders = LineageFamily::addTo(*m_catalog);
    writeRuns();
    WorkbenchOptions options;
    options.interactive = false;
    options.restoreSettings = false;
    options.runsDirectory = m_runs.path();
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    CatalogService &service = m_window->context().catalog();
    if (!service.hasScanned() || service.isScanning()) {
        QSignalSpy scanned(&service, &CatalogService::scanFinished);
        QVERIFY(scanned.wait(20000));
    }
    QVERIFY(catalog());
    QVERIFY2(PluginManager::instance().plugin(QStringLiteral("image-classification")),
             "the image-classification plugin did not load from " DW_PLUGIN_DIR);
}

void TestLineageScreenshots::cleanupTestCase()
{
    m_window.reset();
    m_catalog.reset();
}

void TestLineageScreenshots::writeRuns()
{
    const QDateTime start(QDate(2026, 11, 22), QTime(9, 12), QTimeZone::utc());
    struct Run {
        const char *title, *kind, *device;
        JobState state;
        int minutes;
        double seconds;
        const char *module;
    };
    const Run runs[] = {
        {"Train Leaf base", "train", "cuda:0", JobState::Done, 0, 412.0, "leaf-base"},
        {"Train Leaf child-a", "train", "cuda:0", JobState::Done, 20, 754.0, "leaf-child-a"},
        {"Train Leaf child-b", "train", "cuda:0", JobState::Done, 45, 802.5, "leaf-child-b"},
        {"Train Leaf grandchild", "train", "cpu", JobState::Cancelled, 90, 95.0, nullptr},
        {"Classify 24 images", "predict", "cuda:0", JobState::Done, 110, 3.2, nullptr},
        {"Train Leaf child-c", "train", "cuda:0", JobState::Failed, 130, 1.4, nullptr},
        {"Import leaf-model.dwm", "import", "cpu", JobState::Done, 150, 0.8, nullptr},
    };
    int n = 0;
    for (const Run &run : runs) {
        JobInfo info;
        info.id = QStringLiteral("20261122-%1-%2").arg(n, 6, 10, QLatin1Char('0')).arg(0x3f2a + n, 4, 16);
        info.title = QString::fromUtf8(run.title);
        info.kind = QString::fromUtf8(run.kind);
        info.device = QString::fromUtf8(run.device);
        info.state = run.state;
        info.created = start.addSecs(60 * run.minutes);
        info.started = info.created.addSecs(1);
        info.finished = info.started.addMSecs(qint64(run.seconds * 1000));
        info.log = {QStringLiteral("%1 on %2").arg(info.title, info.device), QStringLiteral("done")};
        if (run.module)
            info.result =
                QVariant::fromValue(QJsonValue(QJsonObject{{"kind", "json"},
                                                           {"module", m_folders.value(QString::fromUtf8(run.module))},
                                                           {"id", QString::fromUtf8(run.module)},
                                                           {"best_epoch", 8},
                                                           {"metrics", QJsonObject{{"val_top1", 0.8 + 0.03 * n}}}}));
        else if (run.state == JobState::Done && info.kind == QLatin1String("predict"))
            info.result = QVariant::fromValue(
                QJsonValue(QJsonObject{{"kind", "classification"}, {"predictions", QJsonArray{1, 2, 3, 4}}}));
        if (run.state == JobState::Failed)
            info.error = QStringLiteral("the data folder /data/leaves-c has no images in class folders");
        QVERIFY(writeRunRecord(m_runs.path(), info));
        ++n;
    }
    QFile corrupt(QDir(m_runs.path()).filePath(QStringLiteral("20261122-999999-dead.json")));
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("{\"id\": \"cut short");
}

void TestLineageScreenshots::save(QWidget *widget, const QString &name)
{
    QTest::qWait(300);  // queued replots and layouts
    QCoreApplication::processEvents();
    const QImage shot = widget->grab().toImage();
    QVERIFY(!shot.isNull());
    const QString file = QDir(m_folder).filePath(name);
    QVERIFY(shot.save(file));
    QVERIFY(QFileInfo(file).size() > 10000);
    qInfo("saved %s", qPrintable(file));
}

void TestLineageScreenshots::familyTree()
{
    CatalogWorkspace *workspace = catalog();
    QVERIFY(workspace->selectModule(LineageFamily::childA()));
    QTRY_VERIFY(workspace->lineage()->isVisible());
    QCOMPARE(workspace->lineage()->topLevelItemCount(), 1);
    save(m_window.get(), QStringLiteral("lineage-family.png"));
}

void TestLineageScreenshots::compareWindow()
{
    CatalogWorkspace *workspace = catalog();
    QListView *view = workspace->view();
    view->clearSelection();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        const QString id = index.data(CatalogModel::IdRole).toString();
        if (id == LineageFamily::base() || id == LineageFamily::childA() || id == LineageFamily::childB())
            view->selectionModel()->select(index, QItemSelectionModel::Select);
    }
    QVERIFY(workspace->compare()->action()->isEnabled());
    workspace->compare()->action()->trigger();
    CompareView *compare = workspace->compare()->lastView();
    QVERIFY(compare);
    QSignalSpy loaded(compare, &CompareView::loaded);
    QVERIFY(!compare->isLoading() || loaded.wait(10000));
    QVERIFY(QTest::qWaitForWindowExposed(compare->window()));
    compare->window()->resize(1280, 760);
    save(compare->window(), QStringLiteral("lineage-compare.png"));
    compare->window()->close();
}

void TestLineageScreenshots::runHistory()
{
    QAction *action = m_window->findChild<QAction *>(QStringLiteral("runHistoryAction"));
    QVERIFY(action);
    action->trigger();
    auto *window = m_window->findChild<RunsWindow *>();
    QVERIFY(window);
    QSignalSpy loaded(window->view(), &RunsView::loaded);
    QVERIFY(!window->view()->isLoading() || loaded.wait(10000));
    QVERIFY(window->view()->model()->rowCount() >= 7);  // and the jobs of this session (the catalog scan)
    QCOMPARE(window->view()->skippedCount(), 1);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->resize(1180, 420);
    save(window, QStringLiteral("lineage-runs.png"));

    // A record with the module it made: the dialog offers to open the module's page.
    int row = 0;
    const QAbstractItemModel *table = window->view()->table()->model();
    while (row < table->rowCount() && table->index(row, 0).data().toString() != QLatin1String("Train Leaf child-b"))
        ++row;
    RunRecordDialog *record = window->view()->openRecord(row);
    QVERIFY(record);
    QVERIFY(QTest::qWaitForWindowExposed(record));
    QVERIFY(record->openModuleButton());
    save(record, QStringLiteral("lineage-run-record.png"));
    record->close();
}

QTEST_MAIN(TestLineageScreenshots)
#include "test_lineage_screenshots.moc"
