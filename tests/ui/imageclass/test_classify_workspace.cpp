// The Classify workspace: with an image classifier selected in the catalog, a simulated
// drop (QDropEvent with file URLs) of images or a folder produces predictions — thumbnails
// with the top label, the top-k chart, the Grad-CAM overlay with its opacity slider — and
// they export as CSV; without a classifier the drop explains itself; Evaluate shows a
// confusion matrix. Screenshots of both tabs go to <build>/screenshots/.
#include "core/catalog/catalog_model.h"
#include "core/jobs/job_manager.h"
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/imageclass/evaluation_view.h"
#include "ui/imageclass/heat_scale_bar.h"
#include "ui/imageclass/prediction_model.h"
#include "ui/imageclass/prediction_view.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/workbench_context.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QToolBar>
#include <qcustomplot.h>

#include <algorithm>
#include <memory>

using namespace dw;
using dw::test::TestCatalog;

class TestClassifyWorkspace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void dropOfImagesProducesPredictions();
    void dropOfAFolderRunsAsAJob();
    void dropWithoutAClassifierExplains();
    void evaluateShowsTheConfusionMatrix();
    void savesScreenshots();

private:
    void drop(const QStringList &paths);
    QString data(const QString &name) const { return m_data.filePath(name); }

    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    ClassifyWorkspace *m_classify = nullptr;
};

void TestClassifyWorkspace::initTestCase()
{
    test::isolateSettings(m_settings.path());
    test::usePluginsFromTheBuild();
    m_catalog = std::make_unique<TestCatalog>();
    QVERIFY(m_catalog->isValid());
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("shapes")), 16, 1));
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("inputs")), 2, 7));
    // Shapes in random colours: the module learnt colours, so it gets many of these wrong
    // (the misclassified gallery of the screenshots).
    QVERIFY(test::writeShapeImages(data(QStringLiteral("mixed")),
                                   {{QStringLiteral("circle"), test::Shape::Circle},
                                    {QStringLiteral("square"), test::Shape::Square},
                                    {QStringLiteral("triangle"), test::Shape::Triangle}},
                                   6, 32, 11));
    const QString trained = test::trainModule(data(QStringLiteral("shapes")), QStringLiteral("shapes"),
                                              QDir(m_catalog->path()).filePath(QStringLiteral("shapes")), 4);
    QVERIFY2(trained.isEmpty(), qPrintable(trained));

    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    m_classify = m_window->workspace<ClassifyWorkspace>();
    QVERIFY(m_classify);
    new QAbstractItemModelTester(m_classify->predictions(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 this);
}

void TestClassifyWorkspace::cleanupTestCase()
{
    if (m_window)
        m_window->context().jobs().waitForAll(20000);
    m_window.reset();
    m_catalog.reset();
}

void TestClassifyWorkspace::drop(const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const QPoint centre = m_window->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &dropEvent);
    QVERIFY(dropEvent.isAccepted());
}

void TestClassifyWorkspace::dropOfImagesProducesPredictions()
{
    m_window->setCurrentWorkspace(QStringLiteral("catalog"));
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(QStringLiteral("shapes")));
    QVERIFY(m_classify->currentClassifier());
    const QStringList classes{QStringLiteral("circle"), QStringLiteral("square"), QStringLiteral("triangle")};
    QStringList files;
    for (const QString &c : classes)
        files << data(QStringLiteral("inputs/%1/000.png").arg(c));

    QSignalSpy ready(m_classify, &ClassifyWorkspace::predictionsReady);
    QSignalSpy shown(m_classify->predictionView(), &PredictionView::imageShown);
    drop(files);
    QVERIFY(ready.wait(30000));
    QCOMPARE(ready.first().first().toInt(), 3);
    QCOMPARE(m_window->currentWorkspace(), m_classify);  // the drop brought Classify forward

    PredictionModel *model = m_classify->predictions();
    QCOMPARE(model->rowCount(), 3);
    int right = 0;
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = model->index(row, 0);
        const QString path = index.data(PredictionModel::PathRole).toString();
        const QString truth = QFileInfo(path).dir().dirName();
        right += index.data(PredictionModel::TopLabelRole).toString() == truth;
        QVERIFY(index.data(Qt::DisplayRole).toString().contains(index.data(PredictionModel::TopLabelRole).toString()));
        QVERIFY(!index.data(Qt::DecorationRole).value<QPixmap>().isNull());  // the thumbnail
        QVERIFY(QFileInfo::exists(index.data(PredictionModel::HeatMapRole).toString()));
    }
    QCOMPARE(right, 3);  // one colour per class: 4 epochs learn it

    // The first image is selected: its top-k bars (3 classes) add up to 100 %.
    PredictionView *view = m_classify->predictionView();
    QCOMPARE(view->currentRow(), 0);
    QCOMPARE(view->chartLabels().size(), 3);
    double sum = 0;
    for (double v : view->chartValues())
        sum += v;
    QVERIFY(qAbs(sum - 100.0) < 0.5);
    QCOMPARE(view->chart()->plottableCount(), 1);
    QCOMPARE(qobject_cast<QCPBars *>(view->chart()->plottable(0))->data()->size(), 3);
    // The picture and its Grad-CAM overlay load off the GUI thread; the slider blends.
    QTRY_VERIFY_WITH_TIMEOUT(view->imageLoaded() && view->heatMapLoaded(), 10000);
    const QImage half = view->imageLabel()->pixmap().toImage();
    view->opacitySlider()->setValue(0);
    const QImage none = view->imageLabel()->pixmap().toImage();
    QVERIFY(!half.isNull() && !none.isNull());
    QVERIFY(half != none);
    // Issue 17: the opacity's value, and the colour scale beside a shown heat map.
    QCOMPARE(view->opacityValue()->text(), QStringLiteral("0 %"));
    QVERIFY(!view->colourScale()->isVisibleTo(view));
    view->opacitySlider()->setValue(50);
    QCOMPARE(view->opacityValue()->text(), QStringLiteral("50 %"));
    QVERIFY(view->colourScale()->isVisibleTo(view));

    // Issue 17: the map of any of the image's top classes, computed when chosen.
    QComboBox *picker = view->classPicker();
    QVERIFY(picker->isEnabled());
    QCOMPARE(picker->count(), 3);
    QCOMPARE(picker->itemData(0).toString(), view->chartLabels().first());
    QVERIFY2(picker->itemText(0).contains(QLatin1String("top class")), qPrintable(picker->itemText(0)));
    QCOMPARE(view->heatMapClass(), view->chartLabels().first());
    const QString second = view->chartLabels().at(1);
    QSignalSpy reloaded(view, &PredictionView::imageShown);
    picker->setCurrentIndex(1);
    QCOMPARE(view->heatMapClass(), second);
    QVERIFY(view->heatMapStatus()->isVisibleTo(view));
    QVERIFY2(view->heatMapStatus()->text().contains(second), qPrintable(view->heatMapStatus()->text()));
    QVERIFY(reloaded.wait(30000));
    QVERIFY(view->heatMapLoaded());
    QVERIFY(!view->heatMapStatus()->isVisibleTo(view));
    const QImage other = view->imageLabel()->pixmap().toImage();
    QCOMPARE(other.size(), half.size());
    QVERIFY(other != half);  // another class, another map
    const QList<JobInfo> camJobs = m_window->context().jobs().jobs();
    QVERIFY(std::any_of(camJobs.begin(), camJobs.end(), [&](const JobInfo &job) {
        return job.title == QStringLiteral("Grad-CAM of 000.png for %1").arg(second);
    }));
    // Back to the top class: its map again, without a job.
    const qsizetype jobCount = m_window->context().jobs().jobs().size();
    picker->setCurrentIndex(0);
    QVERIFY(reloaded.wait(10000));
    QCOMPARE(view->imageLabel()->pixmap().toImage(), half);
    // The other class's map is remembered.
    picker->setCurrentIndex(1);
    QVERIFY(reloaded.wait(10000));
    QCOMPARE(view->imageLabel()->pixmap().toImage(), other);
    QCOMPARE(m_window->context().jobs().jobs().size(), jobCount);
    picker->setCurrentIndex(0);
    QVERIFY(reloaded.wait(10000));

    // Selecting another image updates the chart.
    view->setCurrentRow(2);
    QCOMPARE(view->chartLabels().first(), model->index(2, 0).data(PredictionModel::TopLabelRole).toString());

    const QStringList csv = model->toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(csv.size(), 4);
    QCOMPARE(csv.first(), QStringLiteral("path,label1,p1,label2,p2,label3,p3"));
    QVERIFY(csv.at(1).startsWith(files.first() + QLatin1Char(',')));
    QVERIFY(model->toJson().contains(QLatin1String("circle")));

    // Copy puts the same CSV on the clipboard.
    QAction *copy = nullptr;
    for (QAction *action : m_classify->toolBars().first()->actions())
        if (action->text() == QLatin1String("Copy"))
            copy = action;
    QVERIFY(copy && copy->isEnabled());
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), model->toCsv());
}

void TestClassifyWorkspace::dropOfAFolderRunsAsAJob()
{
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(QStringLiteral("shapes")));
    QSignalSpy ready(m_classify, &ClassifyWorkspace::predictionsReady);
    QSignalSpy added(&m_window->context().jobs(), &JobManager::jobAdded);
    drop({data(QStringLiteral("inputs"))});
    QVERIFY(ready.wait(30000));
    QCOMPARE(m_classify->predictions()->rowCount(), 6);  // 2 per class, found recursively
    // Issue 17 item 9: Classify has its own module picker, showing the module in use.
    auto *picker = m_window->findChild<QComboBox *>(QStringLiteral("classifyModulePicker"));
    QVERIFY(picker);
    QCOMPARE(picker->currentData().toString(), QStringLiteral("shapes"));
    for (int i = 0; i < picker->count(); ++i) {  // trained classifiers only: no templates, no other tasks
        const CatalogEntry *entry = m_window->context().catalog().find(picker->itemData(i).toString());
        QVERIFY(entry && entry->manifest.task == QLatin1String("image-classification") &&
                !entry->manifest.isTemplate());
    }
    QVERIFY(!m_classify->progressBar()->isVisible());  // shown while the job ran
    bool predictJob = false;
    for (const QList<QVariant> &signal : std::as_const(added))
        predictJob |= m_window->context().jobs().job(signal.first().toString()).kind == QLatin1String("predict");
    QVERIFY(predictJob);
}

void TestClassifyWorkspace::dropWithoutAClassifierExplains()
{
    m_window->setCurrentWorkspace(QStringLiteral("catalog"));
    QVERIFY(m_classify->predictions()->rowCount() > 0);  // from the drop before
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(TestCatalog::riverId()));
    QVERIFY(!m_classify->currentClassifier());
    // Issue 17 item 9: another module's predictions do not stay under "Select a trained image
    // classifier", and there is nothing to export or copy.
    QCOMPARE(m_classify->predictions()->rowCount(), 0);
    auto *picker = m_window->findChild<QComboBox *>(QStringLiteral("classifyModulePicker"));
    QCOMPARE(picker->currentIndex(), -1);  // no classifier chosen
    // ... and the empty page says what to do (issue 17 item 5).
    QCOMPARE(m_classify->predictionView()->imageLabel()->text(), PredictionView::emptyHint());
    const QList<QAction *> actions = m_classify->toolBars().first()->actions();
    for (const QString &name :
         {QStringLiteral("Export CSV…"), QStringLiteral("Export JSON…"), QStringLiteral("Copy")}) {
        const auto action = std::find_if(actions.begin(), actions.end(), [&](QAction *a) { return a->text() == name; });
        QVERIFY2(action != actions.end(), qPrintable(name));
        QVERIFY2(!(*action)->isEnabled(), qPrintable(name));
    }
    QSignalSpy shown(&m_window->messages(), &MessagePresenter::messageShown);
    QSignalSpy ready(m_classify, &ClassifyWorkspace::predictionsReady);
    drop({data(QStringLiteral("inputs/circle/000.png"))});
    QVERIFY(shown.wait(5000));
    const QString text = shown.first().at(2).toString();
    QVERIFY2(text.contains(QLatin1String("image classifier")), qPrintable(text));
    QCOMPARE(ready.size(), 0);
    // Choosing the classifier in the picker makes it the module in use.
    Q_EMIT picker->activated(picker->findData(QStringLiteral("shapes")));
    QCOMPARE(m_window->context().currentModule(), QStringLiteral("shapes"));
    QVERIFY(m_classify->currentClassifier());
}

void TestClassifyWorkspace::evaluateShowsTheConfusionMatrix()
{
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(QStringLiteral("shapes")));
    QSignalSpy shown(m_classify, &ClassifyWorkspace::evaluationShown);
    QVERIFY(!m_classify->evaluate(data(QStringLiteral("inputs"))).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_classify->tabs()->currentWidget() == m_classify->evaluationView(), 30000);
    EvaluationView *view = m_classify->evaluationView();
    QCOMPARE(view->classes().size(), 3);
    QCOMPARE(view->table()->rowCount(), 3);
    double total = 0;
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p)
            total += view->cellValue(t, p);
    QCOMPARE(total, 6.0);  // the 6 input images
    QVERIFY2(view->summaryText().contains(QLatin1String("Top-1")), qPrintable(view->summaryText()));
    // Issue 17 item 10: which folder was evaluated, in the header and the job's name.
    const QString folder = QDir::toNativeSeparators(data(QStringLiteral("inputs")));
    QVERIFY2(view->summaryText().contains(folder), qPrintable(view->summaryText()));
    const QList<JobInfo> jobs = m_window->context().jobs().jobs();
    QVERIFY(std::any_of(jobs.begin(), jobs.end(),
                        [](const JobInfo &job) { return job.title == QLatin1String("Evaluate shapes on inputs"); }));
}

void TestClassifyWorkspace::savesScreenshots()
{
    QVERIFY(m_window->workspace<CatalogWorkspace>()->selectModule(QStringLiteral("shapes")));
    QSignalSpy ready(m_classify, &ClassifyWorkspace::predictionsReady);
    drop({data(QStringLiteral("inputs")), data(QStringLiteral("shapes/circle"))});
    QVERIFY(ready.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_classify->predictionView()->heatMapLoaded(), 10000);
    QSignalSpy evaluated(m_classify, &ClassifyWorkspace::evaluationShown);
    QVERIFY(!m_classify->evaluate(data(QStringLiteral("mixed"))).isEmpty());
    QVERIFY(evaluated.wait(30000));
    // The gallery shows the misclassified images themselves (names relative to the data).
    QListWidget *gallery = m_classify->evaluationView()->gallery();
    QVERIFY(gallery->count() > 0);
    QVERIFY(!gallery->item(0)->icon().isNull());
    gallery->setCurrentRow(0);
    const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
    QVERIFY(QDir().mkpath(folder));
    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
        m_window->resize(size);
        m_classify->tabs()->setCurrentIndex(0);
        QTest::qWait(100);
        QVERIFY(m_classify->predictionView()->list()->width() >= 250);
        QVERIFY(m_classify->predictionView()->chart()->height() >= 150);
        const QString suffix = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        QVERIFY(m_window->grab().save(QStringLiteral("%1/classify-predict-%2.png").arg(folder, suffix)));
        m_classify->tabs()->setCurrentIndex(1);
        QTest::qWait(100);
        QVERIFY(m_window->grab().save(QStringLiteral("%1/classify-evaluate-%2.png").arg(folder, suffix)));
    }
    m_window->resize(1366, 768);
}

QTEST_MAIN(TestClassifyWorkspace)
#include "test_classify_workspace.moc"
