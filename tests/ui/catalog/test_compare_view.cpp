// Comparing modules from the catalog: the Compare action enabled for 2 to 4 selected
// modules, the curves (one per module and quantity), the metrics side by side with the
// per-class F1 of evaluation.json, and exactly the settings that differ.
#include "core/catalog/catalog_model.h"
#include "gui/gui_test_support.h"
#include "gui/lineage_fixture.h"
#include "gui/lineage_workspace.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/catalog/compare_action.h"
#include "ui/catalog/compare_curves.h"
#include "ui/catalog/compare_view.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QComboBox>
#include <QListView>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <qcustomplot.h>

#include <memory>

using namespace dw;
using dw::test::LineageFamily;
using dw::test::TestCatalog;

class TestCompareView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void enabledForTwoToFourModules_data();
    void enabledForTwoToFourModules();
    void comparesTwoModules();
    void comparesThreeModules();
    void moduleWithoutHistoryIsNamed();

private:
    void selectIds(const QStringList &ids);
    CompareView *openAndWait();
    static QStringList graphNames(QCustomPlot *plot);
    static QStringList column(QTableWidget *table, int column);

    QTemporaryDir m_settings;
    test::LineageWorkspace m_open;
    std::unique_ptr<TestCatalog> &m_catalog = m_open.catalog;
    std::unique_ptr<WorkbenchContext> &m_context = m_open.context;
    std::unique_ptr<CatalogWorkspace> &m_workspace = m_open.workspace;
};

void TestCompareView::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestCompareView::init()
{
    QVERIFY(m_open.open());
}

void TestCompareView::cleanup()
{
    m_open.close();
}

void TestCompareView::selectIds(const QStringList &ids)
{
    QListView *view = m_workspace->view();
    view->clearSelection();
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (ids.contains(index.data(CatalogModel::IdRole).toString()))
            view->selectionModel()->select(index, QItemSelectionModel::Select);
    }
    QCOMPARE(view->selectionModel()->selectedIndexes().size(), ids.size());
}

CompareView *TestCompareView::openAndWait()
{
    CompareView *view = m_workspace->compare()->open();
    if (!view)
        return nullptr;
    QSignalSpy loaded(view, &CompareView::loaded);
    if (view->isLoading() && !loaded.wait(10000))
        return nullptr;
    return view;
}

QStringList TestCompareView::graphNames(QCustomPlot *plot)
{
    QStringList names;
    for (int i = 0; i < plot->graphCount(); ++i)
        names << plot->graph(i)->name();
    return names;
}

QStringList TestCompareView::column(QTableWidget *table, int column)
{
    QStringList cells;
    for (int row = 0; row < table->rowCount(); ++row)
        cells << (table->item(row, column) ? table->item(row, column)->text() : QString());
    return cells;
}

void TestCompareView::enabledForTwoToFourModules_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("enabled");
    QTest::newRow("none") << 0 << false;
    QTest::newRow("one") << 1 << false;
    QTest::newRow("two") << 2 << true;
    QTest::newRow("three") << 3 << true;
    QTest::newRow("four") << 4 << true;
    QTest::newRow("five") << 5 << false;
}

void TestCompareView::enabledForTwoToFourModules()
{
    QFETCH(int, count);
    const QStringList all{LineageFamily::base(), LineageFamily::childA(), LineageFamily::childB(),
                          LineageFamily::grandchild(), LineageFamily::orphan()};
    selectIds(all.mid(0, count));
    QTEST(m_workspace->compare()->action()->isEnabled(), "enabled");
    QCOMPARE(m_workspace->compare()->selectedEntries().size(), count);
    if (!m_workspace->compare()->action()->isEnabled())
        QVERIFY(m_workspace->compare()->open() == nullptr);
}

void TestCompareView::comparesTwoModules()
{
    selectIds({LineageFamily::childA(), LineageFamily::childB()});
    m_workspace->compare()->action()->trigger();
    CompareView *view = m_workspace->compare()->lastView();
    QVERIFY(view);
    QSignalSpy loaded(view, &CompareView::loaded);
    QVERIFY(!view->isLoading() || loaded.wait(10000));
    QVERIFY(view->window()->isVisible());
    QVERIFY(view->window()->windowTitle().contains(LineageFamily::titleOf(LineageFamily::childB())));

    const QString a = LineageFamily::titleOf(LineageFamily::childA()),
                  b = LineageFamily::titleOf(LineageFamily::childB());
    // Loss: validation and training of each module; the right plot: one graph per module.
    QCOMPARE(view->curves()->lossPlot()->graphCount(), 4);
    QCOMPARE(view->curves()->metricPlot()->graphCount(), 2);
    QCOMPARE(graphNames(view->curves()->metricPlot()), (QStringList{a, b}));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(view->curves()->lossPlot()->graph(i)->dataCount(), 8);
    QCOMPARE(view->curves()->lossPlot()->graph(0)->pen().color(),
             view->curves()->metricPlot()->graph(0)->pen().color());
    QVERIFY(view->curves()->lossPlot()->graph(0)->pen().color() != view->curves()->lossPlot()->graph(2)->pen().color());

    // Accuracy and the histories' named metric can be chosen for the right plot.
    QComboBox *quantity = view->curves()->quantityBox();
    QCOMPARE(quantity->currentData().toString(), QStringLiteral("val_accuracy"));
    const int f1 = quantity->findData(QStringLiteral("val_f1"));
    QVERIFY(f1 >= 0);
    quantity->setCurrentIndex(f1);
    QCOMPARE(view->curves()->metricPlot()->graphCount(), 2);
    QCOMPARE(view->curves()->metricPlot()->graph(1)->dataCount(), 8);

    // Exactly the keys that differ: learning rate, batch size and the number of images.
    QCOMPARE(view->differingKeys(),
             (QStringList{"hyper-parameters.batch_size", "hyper-parameters.lr", "training_data.images"}));
    QCOMPARE(view->differencesTable()->columnCount(), 4);
    QCOMPARE(column(view->differencesTable(), 2), (QStringList{"32", "0.001", "1200"}));
    QCOMPARE(column(view->differencesTable(), 3), (QStringList{"64", "0.0005", "1800"}));

    // Metrics side by side, with the per-class F1 of evaluation.json; the best in bold. Issue 17:
    // with the names and units the module page gives them, not the raw keys.
    QTableWidget *metrics = view->metricsTable();
    QCOMPARE(metrics->horizontalHeaderItem(0)->text(), QStringLiteral("Metric"));
    QCOMPARE(metrics->horizontalHeaderItem(1)->text(), a);
    const QStringList names = column(metrics, 0);
    for (const QString &name :
         {QStringLiteral("Validation top-1 accuracy"), QStringLiteral("Test top-1 accuracy"),
          QStringLiteral("F1 · healthy"), QStringLiteral("F1 · rust"), QStringLiteral("F1 · scab"),
          QStringLiteral("Best epoch"), QStringLiteral("Epochs trained"), QStringLiteral("Lowest validation loss")})
        QVERIFY2(names.contains(name), qPrintable(names.join(QLatin1String(" | "))));
    for (const QString &name : names)
        QVERIFY2(!name.contains(QLatin1Char('_')), qPrintable(name));  // no raw key
    const int top1 = int(names.indexOf(QStringLiteral("Validation top-1 accuracy")));
    QCOMPARE(metrics->item(top1, 0)->data(Qt::UserRole).toString(), QStringLiteral("val_top1"));
    QCOMPARE(metrics->item(top1, 1)->text(), QStringLiteral("88.0 %"));
    QCOMPARE(metrics->item(top1, 2)->text(), QStringLiteral("91.0 %"));
    QVERIFY(metrics->item(top1, 2)->font().bold());
    QVERIFY(!metrics->item(top1, 1)->font().bold());
    const int rust = int(names.indexOf(QStringLiteral("F1 · rust")));
    QCOMPARE(metrics->item(rust, 1)->text(), QStringLiteral("83.0 %"));
    // Epoch counts are not better or worse.
    const int epochs = int(names.indexOf(QStringLiteral("Epochs trained")));
    QCOMPARE(metrics->item(epochs, 1)->text(), QStringLiteral("8"));
    QVERIFY(!metrics->item(epochs, 1)->font().bold() && !metrics->item(epochs, 2)->font().bold());
    if (qEnvironmentVariableIsSet("DW_KEEP_TEST_FILES"))
        view->grab().save(QStringLiteral("/tmp/compare_view.png"));
}

void TestCompareView::comparesThreeModules()
{
    selectIds({LineageFamily::base(), LineageFamily::childA(), LineageFamily::childB()});
    CompareView *view = openAndWait();
    QVERIFY(view);
    QCOMPARE(view->modules().size(), 3);
    QCOMPARE(view->curves()->lossPlot()->graphCount(), 6);
    QCOMPARE(view->curves()->metricPlot()->graphCount(), 3);
    QCOMPARE(view->differingKeys(),
             (QStringList{"hyper-parameters.augmentation.flip", "hyper-parameters.batch_size",
                          "hyper-parameters.epochs", "hyper-parameters.lr", "training_data.images"}));
    QCOMPARE(view->differencesTable()->columnCount(), 5);
    // The base module has no augmentation at all.
    QCOMPARE(view->differencesTable()->item(0, 2)->text(), QStringLiteral("(not set)"));
    QCOMPARE(view->metricsTable()->columnCount(), 4);
}

void TestCompareView::moduleWithoutHistoryIsNamed()
{
    selectIds({LineageFamily::childA(), LineageFamily::orphan()});
    CompareView *view = openAndWait();
    QVERIFY(view);
    QCOMPARE(view->curves()->lossPlot()->graphCount(), 2);
    QCOMPARE(view->curves()->metricPlot()->graphCount(), 1);
    QVERIFY(view->curves()->findChild<QLabel *>()->text().contains(LineageFamily::titleOf(LineageFamily::orphan())));
    QCOMPARE(view->differingKeys().size(), 7);  // every key of child-a: the orphan has none
}

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
