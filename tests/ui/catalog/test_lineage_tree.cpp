// The module family under the catalog page: parent, siblings and children as a tree built
// from the manifests, a click on a node opening that module's page, and the hand-edited
// catalogs (a missing parent, parents in a loop) shown without hanging.
#include "core/catalog/catalog_model.h"
#include "gui/gui_test_support.h"
#include "gui/lineage_fixture.h"
#include "gui/lineage_workspace.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/catalog/lineage_tree.h"
#include "ui/catalog/module_page.h"
#include "ui/message_presenter.h"
#include "ui/workbench_context.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace dw;
using dw::test::LineageFamily;
using dw::test::TestCatalog;

class TestLineageTree : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void showsParentSiblingsAndChildren();
    void clickingANodeOpensItsPage();
    void ancestorsFromTheOldestDown();
    void missingParentIsNamedAndExplained();
    void parentsInALoopStillShow();
    void moduleWithoutFamilyHidesTheTree();

private:
    void click(QTreeWidgetItem *item);
    QStringList childIds(QTreeWidgetItem *item) const;

    QTemporaryDir m_settings;
    test::LineageWorkspace m_open;
    std::unique_ptr<TestCatalog> &m_catalog = m_open.catalog;
    std::unique_ptr<WorkbenchContext> &m_context = m_open.context;
    std::unique_ptr<CatalogWorkspace> &m_workspace = m_open.workspace;
};

void TestLineageTree::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestLineageTree::init()
{
    QVERIFY(m_open.open());
}

void TestLineageTree::cleanup()
{
    m_open.close();
}

QStringList TestLineageTree::childIds(QTreeWidgetItem *item) const
{
    QStringList ids;
    for (int i = 0; i < item->childCount(); ++i)
        ids << item->child(i)->data(0, LineageTree::IdRole).toString();
    return ids;
}

void TestLineageTree::click(QTreeWidgetItem *item)
{
    LineageTree *tree = m_workspace->lineage();
    QVERIFY(item);
    QTest::qWait(0);  // the tree was just filled (and maybe shown): let it lay out
    tree->scrollToItem(item);
    const QRect rect = tree->visualItemRect(item);
    QVERIFY(tree->viewport()->rect().contains(rect.center()));
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
}

void TestLineageTree::showsParentSiblingsAndChildren()
{
    QVERIFY(m_workspace->selectModule(LineageFamily::childA()));
    LineageTree *tree = m_workspace->lineage();
    QCOMPARE(tree->moduleId(), LineageFamily::childA());
    QVERIFY(tree->isVisible());
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *parent = tree->topLevelItem(0);
    QCOMPARE(parent->data(0, LineageTree::IdRole).toString(), LineageFamily::base());
    QCOMPARE(parent->data(0, LineageTree::RelationRole).toString(), QStringLiteral("parent"));
    QVERIFY(parent->text(0).contains(LineageFamily::titleOf(LineageFamily::base())));
    QCOMPARE(childIds(parent), (QStringList{LineageFamily::childA(), LineageFamily::childB()}));
    QTreeWidgetItem *self = parent->child(0);
    QCOMPARE(self->data(0, LineageTree::RelationRole).toString(), QStringLiteral("self"));
    QVERIFY(self->font(0).bold());
    QCOMPARE(parent->child(1)->data(0, LineageTree::RelationRole).toString(), QStringLiteral("sibling"));
    QCOMPARE(childIds(self), QStringList{LineageFamily::grandchild()});
    QCOMPARE(self->child(0)->data(0, LineageTree::RelationRole).toString(), QStringLiteral("child"));
    QVERIFY(self->isExpanded());
}

void TestLineageTree::clickingANodeOpensItsPage()
{
    QVERIFY(m_workspace->selectModule(LineageFamily::childA()));
    LineageTree *tree = m_workspace->lineage();
    QSignalSpy current(m_context.get(), &WorkbenchContext::currentModuleChanged);

    click(tree->itemFor(LineageFamily::childB()));  // a sibling
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::childB());
    QCOMPARE(m_context->currentModule(), LineageFamily::childB());
    QCOMPARE(tree->moduleId(), LineageFamily::childB());
    QVERIFY(tree->itemFor(LineageFamily::grandchild()) == nullptr);  // not childB's child
    QCOMPARE(current.count(), 1);

    click(tree->itemFor(LineageFamily::base()));  // the parent
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::base());
    QCOMPARE(tree->topLevelItem(0)->data(0, LineageTree::IdRole).toString(), LineageFamily::base());
    QCOMPARE(childIds(tree->topLevelItem(0)), (QStringList{LineageFamily::childA(), LineageFamily::childB()}));

    click(tree->itemFor(LineageFamily::base()));  // itself: nothing happens
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::base());
    QCOMPARE(current.count(), 2);
}

void TestLineageTree::ancestorsFromTheOldestDown()
{
    QVERIFY(m_workspace->selectModule(LineageFamily::grandchild()));
    LineageTree *tree = m_workspace->lineage();
    QTreeWidgetItem *top = tree->topLevelItem(0);
    QCOMPARE(top->data(0, LineageTree::IdRole).toString(), LineageFamily::base());
    QCOMPARE(top->data(0, LineageTree::RelationRole).toString(), QStringLiteral("ancestor"));
    QCOMPARE(childIds(top), QStringList{LineageFamily::childA()});
    QCOMPARE(childIds(top->child(0)), QStringList{LineageFamily::grandchild()});
    click(tree->itemFor(LineageFamily::childA()));
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::childA());
}

void TestLineageTree::missingParentIsNamedAndExplained()
{
    QVERIFY(m_workspace->selectModule(LineageFamily::orphan()));
    LineageTree *tree = m_workspace->lineage();
    QTreeWidgetItem *gone = tree->topLevelItem(0);
    QVERIFY(gone);
    QCOMPARE(gone->data(0, LineageTree::IdRole).toString(), QStringLiteral("leaf-ancestor-gone"));
    QVERIFY(gone->text(0).contains(QStringLiteral("not in this catalog")));
    QSignalSpy shown(&m_context->messages(), &MessagePresenter::messageShown);
    click(gone);
    QCOMPARE(shown.count(), 1);
    QVERIFY(shown.first().at(2).toString().contains(QStringLiteral("leaf-ancestor-gone")));
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::orphan());
}

void TestLineageTree::parentsInALoopStillShow()
{
    QVERIFY(m_workspace->selectModule(LineageFamily::loopA()));
    LineageTree *tree = m_workspace->lineage();
    QVERIFY(tree->isVisible());
    QCOMPARE(tree->topLevelItem(0)->data(0, LineageTree::IdRole).toString(), LineageFamily::loopB());
    QTreeWidgetItem *self = tree->topLevelItem(0)->child(0);
    QCOMPARE(self->data(0, LineageTree::IdRole).toString(), LineageFamily::loopA());
    QVERIFY(self->toolTip(0).contains(QStringLiteral("loop")));
    click(tree->topLevelItem(0));
    QCOMPARE(m_workspace->page()->moduleId(), LineageFamily::loopB());
}

void TestLineageTree::moduleWithoutFamilyHidesTheTree()
{
    QVERIFY(m_workspace->selectModule(TestCatalog::riverId()));
    QVERIFY(!m_workspace->lineage()->isVisible());
    QCOMPARE(m_workspace->lineage()->topLevelItemCount(), 0);
    // The plankton classifier was re-trained from the built-in image classifier.
    QVERIFY(m_workspace->selectModule(TestCatalog::planktonId()));
    QVERIFY(m_workspace->lineage()->isVisible());
    QCOMPARE(m_workspace->lineage()->topLevelItem(0)->data(0, LineageTree::IdRole).toString(),
             QStringLiteral("image-classifier"));
}

QTEST_MAIN(TestLineageTree)
#include "test_lineage_tree.moc"
