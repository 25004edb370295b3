// The Catalog workspace: search as you type, task and keyword chips, list/grid, the module
// page and how a broken module is shown. Runs on a temporary catalog with three generated
// modules (one broken) next to the three built-in templates.
#include "core/catalog/catalog_filter_proxy.h"
#include "core/catalog/catalog_model.h"
#include "core/catalog/module_lock.h"
#include "gui/gui_test_support.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/catalog/filter_chip_bar.h"
#include "ui/catalog/module_delegate.h"
#include "ui/catalog/module_page.h"
#include "ui/workbench_context.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>

#include <memory>

using namespace dw;
using dw::test::TestCatalog;

class TestCatalogWorkspace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void listsEveryModule();
    void searchFiltersAsYouType_data();
    void searchFiltersAsYouType();
    void taskChipFilters();
    void keywordChipsFilter();
    void selectingShowsThePage();
    void invalidModuleShowsItsProblems();
    void usableOnlyHidesTemplates();
    void labelsAreNamedByTask_data();
    void labelsAreNamedByTask();
    void emptyResultOffersToClearFilters();
    void gridToggleKeepsTheRows();
    void delegateMarksTemplatesAndBuiltIns();
    void picksUpModulesAddedOutside();
    void aModuleBeingWrittenIsNotBroken();

private:
    int rows() const { return m_workspace->view()->model()->rowCount(); }
    QStringList titles() const;
    bool select(const QString &title);

    QTemporaryDir m_settings;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<WorkbenchContext> m_context;
    std::unique_ptr<CatalogWorkspace> m_workspace;
};

QStringList TestCatalogWorkspace::titles() const
{
    QStringList result;
    const QAbstractItemModel *model = m_workspace->view()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        result << model->index(row, 0).data(CatalogModel::TitleRole).toString();
    return result;
}

bool TestCatalogWorkspace::select(const QString &title)
{
    const QAbstractItemModel *model = m_workspace->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(CatalogModel::TitleRole).toString() == title) {
            m_workspace->view()->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void TestCatalogWorkspace::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestCatalogWorkspace::init()
{
    m_catalog = std::make_unique<TestCatalog>();
    QVERIFY(m_catalog->isValid());
    WorkbenchOptions options;  // the catalog comes from DEEPWB_CATALOG
    options.interactive = false;
    options.restoreSettings = false;
    m_context = std::make_unique<WorkbenchContext>(options);
    QCOMPARE(m_context->catalog().userDirectory(), QDir::cleanPath(m_catalog->path()));
    m_workspace = std::make_unique<CatalogWorkspace>(*m_context);
    m_workspace->resize(1200, 700);
    m_workspace->show();
    QSignalSpy scanned(&m_context->catalog(), &CatalogService::scanFinished);
    m_workspace->activate();
    QVERIFY(scanned.wait(20000));
}

void TestCatalogWorkspace::cleanup()
{
    m_workspace.reset();
    m_context.reset();
    m_catalog.reset();
}

void TestCatalogWorkspace::listsEveryModule()
{
    QCOMPARE(rows(), TestCatalog::builtInCount() + TestCatalog::generatedCount());
    const QStringList all = titles();
    for (const QString &title : {QStringLiteral("Image classifier"), QStringLiteral("Satellite super-resolution"),
                                 QStringLiteral("Time-series forecaster"), TestCatalog::planktonTitle(),
                                 TestCatalog::riverTitle(), TestCatalog::brokenTitle()})
        QVERIFY2(all.contains(title), qPrintable(title));
    // Sorted by title, and the first one is shown straight away.
    QStringList sorted = all;
    std::sort(sorted.begin(), sorted.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    QCOMPARE(all, sorted);
    QVERIFY(m_workspace->view()->currentIndex().isValid());
    QVERIFY(m_workspace->page()->toPlainText().contains(all.first()));
}

void TestCatalogWorkspace::searchFiltersAsYouType_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("satellite") << "satellite" << QStringList{"Satellite super-resolution"};
    QTest::newRow("upper case") << "MICROGRAPHS" << QStringList{TestCatalog::planktonTitle()};
    QTest::newRow("keyword only") << "hydrology" << QStringList{TestCatalog::riverTitle()};
    QTest::newRow("in the description") << "ZooScan" << QStringList{TestCatalog::planktonTitle()};
    QTest::newRow("forecast") << "forecast"
                              << QStringList{TestCatalog::riverTitle(), QStringLiteral("Time-series forecaster")};
    QTest::newRow("nothing") << "no-such-module-anywhere" << QStringList{};
}

void TestCatalogWorkspace::searchFiltersAsYouType()
{
    QFETCH(QString, typed);
    QFETCH(QStringList, expected);
    QLineEdit *search = m_workspace->searchBox();
    QCOMPARE(search->placeholderText(), QStringLiteral("Search modules…"));
    const int before = rows();
    QCOMPARE(before, 6);
    // The count says it in one form: "6 modules", "1 of 6 modules" (issue 17).
    auto *count = m_workspace->findChild<QLabel *>(QStringLiteral("catalogCount"));
    QVERIFY(count);
    QCOMPARE(count->text(), QStringLiteral("6 modules"));
    QTest::keyClicks(search, typed);
    QCOMPARE(search->text(), typed);
    QCOMPARE(titles(), expected);
    QVERIFY(rows() < before);
    QCOMPARE(count->text(), QStringLiteral("%1 of 6 modules").arg(expected.size()));
    // Erasing the text brings every module back.
    search->selectAll();
    QTest::keyClick(search, Qt::Key_Backspace);
    QCOMPARE(rows(), before);
}

void TestCatalogWorkspace::taskChipFilters()
{
    FilterChipBar *chips = m_workspace->taskChips();
    QVERIFY(chips->choices().contains(QStringLiteral("time-series")));
    QVERIFY(chips->choices().contains(QStringLiteral("image-classification")));
    QAbstractButton *timeSeries = chips->chip(QStringLiteral("time-series"));
    QVERIFY(timeSeries);
    QCOMPARE(timeSeries->text(), QStringLiteral("Time series"));
    QTest::mouseClick(timeSeries, Qt::LeftButton);
    QVERIFY(timeSeries->isChecked());
    QCOMPARE(titles(), (QStringList{TestCatalog::riverTitle(), QStringLiteral("Time-series forecaster")}));
    // One task at a time: another chip replaces the first.
    QTest::mouseClick(chips->chip(QStringLiteral("image-classification")), Qt::LeftButton);
    QVERIFY(!timeSeries->isChecked());
    QCOMPARE(titles(), (QStringList{QStringLiteral("Image classifier"), TestCatalog::planktonTitle()}));
    // Search and task combine.
    QTest::keyClicks(m_workspace->searchBox(), QStringLiteral("zooscan"));
    QCOMPARE(titles(), QStringList{TestCatalog::planktonTitle()});
    QTest::mouseClick(chips->chip(QString()), Qt::LeftButton);  // "Any"
    QCOMPARE(titles(), QStringList{TestCatalog::planktonTitle()});
    m_workspace->searchBox()->clear();
    QCOMPARE(rows(), 6);
}

void TestCatalogWorkspace::keywordChipsFilter()
{
    FilterChipBar *chips = m_workspace->keywordChips();
    QVERIFY(chips->choices().contains(QStringLiteral("trainable")));
    // The most common keywords (on all three templates) come first.
    QStringList firstTwo = chips->choices().mid(0, 2);
    firstTwo.sort();
    QCOMPARE(firstTwo, (QStringList{QStringLiteral("template"), QStringLiteral("trainable")}));
    QAbstractButton *template_ = chips->chip(QStringLiteral("template"));
    QVERIFY(template_);
    QTest::mouseClick(template_, Qt::LeftButton);
    QCOMPARE(rows(), 3);
    // Several keywords: every one must match.
    chips->setSelected({QStringLiteral("template"), QStringLiteral("lstm")});
    Q_EMIT chips->selectionChanged(chips->selected());
    QCOMPARE(titles(), QStringList{QStringLiteral("Time-series forecaster")});
    chips->clearSelection();
    QCOMPARE(rows(), 6);
}

void TestCatalogWorkspace::selectingShowsThePage()
{
    QSignalSpy current(m_context.get(), &WorkbenchContext::currentModuleChanged);
    QVERIFY(select(TestCatalog::planktonTitle()));
    QCOMPARE(m_context->currentModule(), TestCatalog::planktonId());
    QVERIFY(!current.isEmpty());
    ModulePage *page = m_workspace->page();
    QCOMPARE(page->moduleId(), TestCatalog::planktonId());
    const QString text = page->toPlainText();
    for (const char *expected :
         {"Plankton classifier", "Sorts plankton micrographs", "ZooScan", "MIT", "Ana Oceanographer", "2.1.0",
          "resnet18", "Top-1 accuracy", "93.1 %", "https://doi.org/10.0000/plankton", "image-classifier", "copepod"})
        QVERIFY2(text.contains(QLatin1String(expected)), expected);
    // The Markdown became formatting, and the links are links.
    QVERIFY(!text.contains(QLatin1String("*ZooScan*")));
    QVERIFY(page->toHtml().contains(QLatin1String("href=\"https://example.org/plankton/data\"")));
    QVERIFY(page->toHtml().contains(QLatin1String("href=\"module:image-classifier\"")));
    // The parent link selects the parent module.
    Q_EMIT page->moduleLinkActivated(QStringLiteral("image-classifier"));
    QCOMPARE(m_context->currentModule(), QStringLiteral("image-classifier"));
    QVERIFY(page->toPlainText().contains(QLatin1String("Image classifier")));
    QVERIFY(page->toPlainText().contains(QLatin1String("template")));
}

// Issue 17 item 5: "Usable only" leaves what can be used now: no templates, nothing broken.
void TestCatalogWorkspace::usableOnlyHidesTemplates()
{
    auto *usable = m_workspace->findChild<QCheckBox *>(QStringLiteral("usableOnly"));
    QVERIFY(usable);
    usable->setChecked(true);
    // The plankton classifier has weights; the built-in templates, the river forecaster (a
    // manifest without weights) and the broken module go.
    QCOMPARE(titles(), QStringList{TestCatalog::planktonTitle()});
    m_workspace->clearFilters();
    QVERIFY(!usable->isChecked());
    QCOMPARE(rows(), TestCatalog::builtInCount() + TestCatalog::generatedCount());
}

// Issue 17 item 3: a super-resolution module's bands and a forecaster's targets are not "Classes".
void TestCatalogWorkspace::labelsAreNamedByTask_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("title");
    QTest::newRow("classifier") << QStringLiteral("image-classification") << QStringLiteral("Classes (2)");
    QTest::newRow("super-resolution") << QStringLiteral("super-resolution") << QStringLiteral("Bands (2)");
    QTest::newRow("forecaster") << QStringLiteral("time-series") << QStringLiteral("Forecast targets (2)");
    QTest::newRow("other") << QStringLiteral("protein-folding") << QStringLiteral("Labels (2)");
}

void TestCatalogWorkspace::labelsAreNamedByTask()
{
    QFETCH(QString, task);
    QFETCH(QString, title);
    CatalogEntry entry;
    entry.manifest.id = QStringLiteral("m");
    entry.manifest.task = task;
    entry.manifest.labels = {QStringLiteral("B2"), QStringLiteral("B3")};
    const QString html = ModulePage::detailsHtml(entry);
    QVERIFY2(html.contains(title), qPrintable(html));
    if (task != QLatin1String("image-classification"))
        QVERIFY(!html.contains(QLatin1String("Classes")));
}

void TestCatalogWorkspace::invalidModuleShowsItsProblems()
{
    QVERIFY(select(TestCatalog::brokenTitle()));
    const QString text = m_workspace->page()->toPlainText();
    QVERIFY(text.contains(TestCatalog::brokenTitle()));
    QVERIFY(text.contains(QLatin1String("cannot be used")));
    QVERIFY2(text.contains(QLatin1String("protein-folding")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("last tuesday")));
    QVERIFY(text.contains(QLatin1String("date_creation")));
    QVERIFY(m_workspace->page()->toHtml().contains(QLatin1String("#c62828")));
    QVERIFY(ModuleDelegate::markers(m_workspace->view()->currentIndex()).contains(QLatin1String("invalid")));
    // "Usable only" hides it.
    m_workspace->proxy()->setValidOnly(true);
    QVERIFY(!titles().contains(TestCatalog::brokenTitle()));
    QCOMPARE(rows(), 5);
}

void TestCatalogWorkspace::emptyResultOffersToClearFilters()
{
    QTest::keyClicks(m_workspace->searchBox(), QStringLiteral("zzzz"));
    QCOMPARE(rows(), 0);
    auto *stack = m_workspace->findChild<QStackedWidget *>();
    QVERIFY(stack);
    auto *label = qobject_cast<QLabel *>(stack->currentWidget());
    QVERIFY(label);
    QVERIFY(label->text().contains(QLatin1String("No module matches")));
    Q_EMIT label->linkActivated(QStringLiteral("clear"));
    QCOMPARE(rows(), 6);
    QVERIFY(m_workspace->searchBox()->text().isEmpty());
    QCOMPARE(stack->currentWidget(), m_workspace->view());
}

void TestCatalogWorkspace::gridToggleKeepsTheRows()
{
    auto *grid = m_workspace->findChild<QAbstractButton *>(QStringLiteral("gridViewButton"));
    QVERIFY(grid);
    QTest::mouseClick(grid, Qt::LeftButton);
    QCOMPARE(m_workspace->viewMode(), CatalogWorkspace::ViewMode::Grid);
    QCOMPARE(m_workspace->view()->viewMode(), QListView::IconMode);
    QCOMPARE(rows(), 6);
    // Cards sit side by side.
    const QRect first = m_workspace->view()->visualRect(m_workspace->view()->model()->index(0, 0));
    const QRect second = m_workspace->view()->visualRect(m_workspace->view()->model()->index(1, 0));
    QCOMPARE(first.top(), second.top());
    QTest::mouseClick(m_workspace->findChild<QAbstractButton *>(QStringLiteral("listViewButton")), Qt::LeftButton);
    QCOMPARE(m_workspace->view()->viewMode(), QListView::ListMode);
}

void TestCatalogWorkspace::delegateMarksTemplatesAndBuiltIns()
{
    QVERIFY(select(QStringLiteral("Satellite super-resolution")));
    const QStringList builtIn = ModuleDelegate::markers(m_workspace->view()->currentIndex());
    QVERIFY(builtIn.contains(QLatin1String("template")));
    QVERIFY(builtIn.contains(QLatin1String("built-in")));
    QVERIFY(!builtIn.contains(QLatin1String("invalid")));
    QVERIFY(select(TestCatalog::planktonTitle()));
    const QStringList trained = ModuleDelegate::markers(m_workspace->view()->currentIndex());
    QVERIFY(!trained.contains(QLatin1String("template")));
    QVERIFY(!trained.contains(QLatin1String("built-in")));
    // Issue 17 item 13: a card shows the module's headline figure; a template has none.
    QCOMPARE(ModuleDelegate::headline(m_workspace->view()->currentIndex()), QStringLiteral("Top-1 accuracy 93.1 %"));
    QVERIFY(select(QStringLiteral("Satellite super-resolution")));
    QVERIFY(ModuleDelegate::headline(m_workspace->view()->currentIndex()).isEmpty());
    // Rendering each row must not crash or warn, in both modes.
    QVERIFY(!m_workspace->view()->grab().isNull());
    m_workspace->setViewMode(CatalogWorkspace::ViewMode::Grid);
    QVERIFY(!m_workspace->view()->grab().isNull());
}

void TestCatalogWorkspace::picksUpModulesAddedOutside()
{
    // As `deepwb catalog import` would, while the window is open.
    QSignalSpy scanned(&m_context->catalog(), &CatalogService::scanFinished);
    m_catalog->addModule(QJsonObject{{"id", "coral-reef-mapper"},
                                     {"title", "Coral reef mapper"},
                                     {"task", "super-resolution"},
                                     {"version", "1.0.0"}});
    QVERIFY(scanned.wait(10000));
    QCOMPARE(rows(), 7);
    QVERIFY(titles().contains(QStringLiteral("Coral reef mapper")));
}

// Issue 17 item 2: a module that deepwb (or the window's own job) is writing shows as being
// written, never as broken; once written it is listed as it is; a training killed half-way
// is a resumable training, not an invalid module.
void TestCatalogWorkspace::aModuleBeingWrittenIsNotBroken()
{
    const QString folder = QDir(m_catalog->path()).filePath(QStringLiteral("coral-reef-sr"));
    QVERIFY(QDir().mkpath(folder));
    Result<std::unique_ptr<ModuleLock>> lock = ModuleLock::acquire(folder);  // as a training holds it
    QVERIFY(lock.ok());
    QSignalSpy scanned(&m_context->catalog(), &CatalogService::scanFinished);
    m_context->catalog().rescan();
    QVERIFY(scanned.wait(10000));
    QVERIFY(select(QStringLiteral("coral-reef-sr")));
    QCOMPARE(ModuleDelegate::markers(m_workspace->view()->currentIndex()),
             QStringList{QStringLiteral("being written")});
    QString text = m_workspace->page()->toPlainText();
    QVERIFY2(text.contains(QLatin1String("is writing this module now")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("cannot be used")) && !text.contains(QLatin1String("invalid")),
             qPrintable(text));

    // Killed half-way: a checkpoint, no module.json, nobody holds the lock.
    QVERIFY(QDir().mkpath(QDir(folder).filePath(QStringLiteral("checkpoints"))));
    QFile checkpoint(QDir(folder).filePath(QStringLiteral("checkpoints/last.pt")));
    QVERIFY(checkpoint.open(QIODevice::WriteOnly));
    checkpoint.write("checkpoint");
    checkpoint.close();
    lock.value().reset();
    m_context->catalog().rescan();
    QVERIFY(scanned.wait(10000));
    QVERIFY(select(QStringLiteral("coral-reef-sr")));
    QCOMPARE(ModuleDelegate::markers(m_workspace->view()->currentIndex()),
             QStringList{QStringLiteral("interrupted training")});
    text = m_workspace->page()->toPlainText();
    QVERIFY2(text.contains(QLatin1String("--resume")) && !text.contains(QLatin1String("cannot be used")),
             qPrintable(text));

    // Written: listed with its manifest.
    m_catalog->addModule(QJsonObject{{"id", "coral-reef-sr"},
                                     {"title", "Coral reef super-resolution"},
                                     {"task", "super-resolution"},
                                     {"version", "1.0.0"}});
    QTRY_VERIFY_WITH_TIMEOUT(titles().contains(QStringLiteral("Coral reef super-resolution")), 10000);
    QVERIFY(select(QStringLiteral("Coral reef super-resolution")));
    QVERIFY(!ModuleDelegate::markers(m_workspace->view()->currentIndex()).contains(QStringLiteral("being written")));
}

QTEST_MAIN(TestCatalogWorkspace)
#include "test_catalog_workspace.moc"
