// The Raster workspace's before/after views: the mapping between two rasters (by size and
// region, by geotransform), before/after views of generated rasters of sizes N and 2N kept on
// the same ground, swipe, Save As, and super-resolution end to end through the plugin when it
// is built (on the Landsat scene L7_ETMs.tif). Viewing one raster: test_raster_workspace.cpp.
// Screenshots go to <build>/screenshots/raster-*.png.
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "core/task/plugin_manager.h"
#include "gui/raster_workspace_fixture.h"
#include "sentinel2_fixture.h"
#include "shared_data.h"
#include "superres_fixture.h"
#include "ui/message_presenter.h"
#include "ui/raster/raster_view_link.h"
#include "ui/raster/superres_panel.h"

#include <QAction>
#include <QInputDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QToolBar>

#include <cmath>

using namespace dw;

namespace {

// A raster of size × size pixels, 3 bands, values that change with x and y (so that a region
// is recognisable), no georeference.
bool writeRamp(const QString &path, int size)
{
    RasterWriteSpec spec;
    spec.path = path;
    spec.width = size;
    spec.height = size;
    spec.bandDescriptions = {QStringLiteral("r"), QStringLiteral("g"), QStringLiteral("b")};
    spec.dataType = QStringLiteral("Byte");
    Result<RasterWriter> writer = RasterWriter::create(spec);
    if (!writer)
        return false;
    RasterBuffer buffer = RasterBuffer::zeros(size, size, 3);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            buffer.at(0, x, y) = float(x * 255 / size);
            buffer.at(1, x, y) = float(y * 255 / size);
            buffer.at(2, x, y) = float(((x / 8 + y / 8) % 2) * 200);
        }
    return writer->write(QRect(0, 0, size, size), buffer) && writer->finish();
}

}  // namespace

class TestRasterLinkedViews : public QObject, public test::RasterWorkspaceFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void mappingFollowsGeotransformsAndRegions();
    void afterViewFollowsTheBeforeView();
    void swipeShowsBothInOneView();
    void saveAsCopiesTheResult();
    void superResolutionEndToEnd();
    void guidedSuperResolution();
    void sentinel2GuideFromTheProduct();

private:
    // The Landsat scene cut to whole 6 × 6 blocks (348 × 352) and its info; false when unreadable.
    static bool readL7Scene(RasterBuffer &scene, RasterInfo &info);
    // Trains a tiny super-resolution module (1 epoch, 1 block × 8 filters) as a job and
    // rescans the catalog; `data` gives the rasters (and guides).
    void trainTinyModule(TaskPlugin *plugin, const QString &name, const QVariantMap &data);
};

bool TestRasterLinkedViews::readL7Scene(RasterBuffer &scene, RasterInfo &info)
{
    Result<RasterReader> l7 = RasterReader::open(kL7);
    if (!l7)
        return false;
    info = l7->info();
    Result<RasterBuffer> pixels = l7->read(QRect(0, 0, 348, 352));
    if (!pixels)
        return false;
    scene = std::move(pixels).value();
    return true;
}

void TestRasterLinkedViews::trainTinyModule(TaskPlugin *plugin, const QString &name, const QVariantMap &data)
{
    QVariantMap raw{{QStringLiteral("scale"), 2},   {QStringLiteral("epochs"), 1},
                    {QStringLiteral("blocks"), 1},  {QStringLiteral("filters"), 8},
                    {QStringLiteral("patch"), 24},  {QStringLiteral("patches-per-epoch"), 32},
                    {QStringLiteral("name"), name}, {QStringLiteral("output"), QDir(m_catalog->path()).filePath(name)}};
    raw.insert(data);
    Result<QVariantMap> args = plugin->trainArguments().validate(raw);
    QVERIFY2(args, qPrintable(args ? QString() : args.error().text()));
    JobManager &jobs = m_window->context().jobs();
    JobSpec train;
    train.title = QStringLiteral("train ") + name;
    train.function = [plugin, args = args.value()](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = plugin->train(args, job);
        if (!result)
            return result.error();
        return QVariant(true);
    };
    const QString trainJob = jobs.submit(std::move(train));
    QVERIFY(jobs.waitForAll(180000));
    QVERIFY2(jobs.job(trainJob).state == JobState::Done, qPrintable(jobs.job(trainJob).error));
    QSignalSpy scanned(&m_window->context().catalog(), &CatalogService::scanFinished);
    m_window->context().catalog().rescan();
    QVERIFY(scanned.wait(20000));
}

void TestRasterLinkedViews::initTestCase()
{
    DW_REQUIRE_SHARED_FILE(kL7);
    openWorkbench();
}

void TestRasterLinkedViews::cleanupTestCase()
{
    closeWorkbench();
}

void TestRasterLinkedViews::mappingFollowsGeotransformsAndRegions()
{
    RasterInfo first, second;
    first.width = 100;
    first.height = 80;
    second.width = 60;
    second.height = 40;
    RasterViewMapping bySize = RasterViewMapping::forRasters(first, second, QRect(20, 10, 30, 20));
    QCOMPARE(bySize.factor, 2.0);
    QCOMPARE(bySize.offset, QPointF(20, 10));
    first.georeferenced = second.georeferenced = true;
    first.geoTransform = {1000.0, 10.0, 0.0, 2000.0, 0.0, -10.0};
    second.geoTransform = {1080.0, 5.0, 0.0, 1960.0, 0.0, -5.0};
    RasterViewMapping byGround = RasterViewMapping::forRasters(first, second);
    QCOMPARE(byGround.factor, 2.0);
    QCOMPARE(byGround.offset, QPointF(8, 4));
}

void TestRasterLinkedViews::afterViewFollowsTheBeforeView()
{
    const QString small = scratch(QStringLiteral("ramp64.tif")), large = scratch(QStringLiteral("ramp128.tif"));
    QVERIFY(writeRamp(small, 64));
    QVERIFY(writeRamp(large, 128));
    open(small);
    QSignalSpy shown(m_raster, &RasterWorkspace::resultShown);
    m_raster->showResult(large);
    QVERIFY(shown.wait(20000));
    RasterView *before = m_raster->beforeView();
    RasterView *after = m_raster->afterView();
    QVERIFY(after->isVisible());
    QCOMPARE(after->rasterSize(), QSize(128, 128));
    QCOMPARE(m_raster->link()->mapping().factor, 2.0);
    QTest::qWait(50);  // the splitter lays out both views
    waitRendered(before);
    waitRendered(after);
    auto centre = [](RasterView *view) { return view->toRaster(QPointF(view->width() / 2.0, view->height() / 2.0)); };
    auto matched = [&] {
        return QLineF(centre(after), centre(before) * 2.0).length() < 1e-6 &&
               std::abs(after->scale() * 2.0 - before->scale()) < 1e-9;
    };
    QVERIFY(matched());
    // Zooming the before view on its upper-left quarter zooms the after view there too.
    before->zoomBy(3.0, before->toWidget(QPointF(16, 16)));
    QVERIFY(matched());
    waitRendered(after);
    const QRect window = after->renderedWindow();
    QVERIFY2(
        window.width() < 100 && window.contains(QPoint(32, 32)),
        qPrintable(
            QStringLiteral("%1,%2 %3x%4").arg(window.x()).arg(window.y()).arg(window.width()).arg(window.height())));
    // Panning the after view pans the before view.
    after->panBy(QPointF(-40, 0));
    QVERIFY(matched());
    // The same ground shows the same colours: the ramp's red at the centre agrees.
    waitRendered(before);
    waitRendered(after);
    screenshot(QStringLiteral("linked"));
}

void TestRasterLinkedViews::swipeShowsBothInOneView()
{
    m_raster->setSwipe(true);
    RasterView *before = m_raster->beforeView();
    QVERIFY(before->isSwipe());
    QTRY_VERIFY(!m_raster->afterView()->isVisible());
    QTRY_COMPARE(m_raster->afterView()->size(), before->size());
    before->fit();
    waitRendered(before);
    waitRendered(m_raster->afterView());
    // Left of the divider: the before raster; right: the after raster on the same ground.
    QCOMPARE(m_raster->afterView()->visibleRegion().topLeft(), before->visibleRegion().topLeft() * 2.0);
    const QImage shot = before->grab().toImage();
    QVERIFY(!shot.isNull());
    // Drag the divider to a third of the width.
    const int y = before->height() / 2;
    QTest::mousePress(before, Qt::LeftButton, Qt::NoModifier, QPoint(before->width() / 2, y));
    QTest::mouseMove(before, QPoint(before->width() / 3, y));
    QTest::mouseRelease(before, Qt::LeftButton, Qt::NoModifier, QPoint(before->width() / 3, y));
    QVERIFY(std::abs(before->swipePosition() - 1.0 / 3.0) < 0.02);
    screenshot(QStringLiteral("swipe"));
    m_raster->setSwipe(false);
    QVERIFY(!before->isSwipe());
    QTRY_VERIFY(m_raster->afterView()->isVisible());
}

void TestRasterLinkedViews::saveAsCopiesTheResult()
{
    const QString copy = scratch(QStringLiteral("saved/copy.tif"));
    QVERIFY(QDir().mkpath(QFileInfo(copy).path()));
    const QString jobId = m_raster->saveResultAs(copy);
    QVERIFY(!jobId.isEmpty());
    QVERIFY(m_window->context().jobs().waitForAll(20000));
    QFile a(m_raster->resultPath()), b(copy);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), a.readAll());
    // Only the final file is there: no temporary left behind.
    QCOMPARE(QDir(QFileInfo(copy).path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("copy.tif")});
}

void TestRasterLinkedViews::superResolutionEndToEnd()
{
    TaskPlugin *plugin = PluginManager::instance().plugin(SuperResPanel::task());
    if (!plugin)
        QSKIP("the super-resolution plugin (libsuperres in " DW_PLUGIN_DIR ") is not built: build the target superres");
    // A tiny module trained on the Landsat scene (the mechanics, not the quality).
    trainTinyModule(plugin, QStringLiteral("l7-tiny"), {{QStringLiteral("raster"), QStringList{kL7}}});
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_raster->superResPanel()->selectModule(QStringLiteral("l7-tiny")));

    open(kL7);
    const QString output = scratch(QStringLiteral("l7_x2.tif"));
    m_raster->superResPanel()->setOutput(output);
    m_raster->superResPanel()->setRegion(QRect(100, 120, 120, 90));
    QVERIFY(m_raster->superResPanel()->runButton()->isEnabled());
    // Run from the toolbar's Super-Resolve, which stays in view when the panel is scrolled.
    QAction *run = m_raster->superResPanel()->runAction();
    QVERIFY(m_raster->toolBars().first()->actions().contains(run));
    QVERIFY(run->isEnabled());
    QSignalSpy shown(m_raster, &RasterWorkspace::resultShown);
    run->trigger();
    QVERIFY(shown.wait(120000));
    QCOMPARE(m_raster->resultPath(), output);
    QCOMPARE(m_raster->afterView()->rasterSize(), QSize(240, 180));  // the region, twice the size
    QCOMPARE(run->isEnabled(), m_raster->superResPanel()->runButton()->isEnabled());
    // Again to the same file: the user is asked before it is replaced (answered yes here).
    QSignalSpy asked(&m_window->context().messages(), &MessagePresenter::confirmationAsked);
    QVERIFY(m_raster->superResolve().isEmpty());
    QTRY_COMPARE(asked.size(), 1);
    QVERIFY(asked.first().at(0).toString().contains(QLatin1String("l7_x2.tif")));
    QVERIFY(shown.wait(120000));
    QCOMPARE(m_raster->afterView()->rasterSize(), QSize(240, 180));
    // Georeferenced: the after view sits on the region's ground.
    QCOMPARE(m_raster->link()->mapping().factor, 2.0);
    QVERIFY(QLineF(m_raster->link()->mapping().offset, QPointF(100, 120)).length() < 1e-6);
    waitRendered(m_raster->beforeView());
    waitRendered(m_raster->afterView());
    screenshot(QStringLiteral("before-after"));
    m_raster->setSwipe(true);
    waitRendered(m_raster->afterView());
    m_raster->beforeView()->setSwipePosition(0.5);
    m_raster->beforeView()->fitRegion(QRectF(100, 120, 120, 90));
    waitRendered(m_raster->beforeView());
    waitRendered(m_raster->afterView());
    // The after view, hidden, renders at the before view's size on the same ground.
    QCOMPARE(m_raster->afterView()->size(), m_raster->beforeView()->size());
    QVERIFY(
        QLineF(m_raster->afterView()->origin(), (m_raster->beforeView()->origin() - QPointF(100, 120)) * 2.0).length() <
        1e-6);
    screenshot(QStringLiteral("superres-swipe"));
    m_raster->setSwipe(false);

    // A module reading 6 bands on a 3-band raster: the plugin's message, shown as an error.
    const QString ramp = scratch(QStringLiteral("ramp64.tif"));
    QVERIFY(QFile::exists(ramp) || writeRamp(ramp, 64));
    open(ramp);
    m_raster->superResPanel()->setOutput(scratch(QStringLiteral("ramp_x2.tif")));
    QSignalSpy failed(m_raster, &RasterWorkspace::failed);
    m_raster->superResolve();
    QVERIFY(failed.wait(60000));
    const QString mismatch = failed.first().first().toString();
    QVERIFY2(mismatch.contains(QLatin1String("3 band")) && mismatch.contains(QLatin1String("trained on 6")),
             qPrintable(mismatch));
    QCOMPARE(m_window->context().messages().lastText(), mismatch);
    QVERIFY(!QFile::exists(scratch(QStringLiteral("ramp_x2.tif"))));
}

void TestRasterLinkedViews::guidedSuperResolution()
{
    TaskPlugin *plugin = PluginManager::instance().plugin(SuperResPanel::task());
    if (!plugin)
        QSKIP("the super-resolution plugin (libsuperres in " DW_PLUGIN_DIR ") is not built: build the target superres");
    DW_REQUIRE_SHARED_FILE(kL7);
    // The scene averaged over 2 × 2 pixels is the coarse raster; the scene itself its guide.
    RasterBuffer fine;
    RasterInfo info;
    QVERIFY(readL7Scene(fine, info));
    const RasterBuffer coarse = test::blockMean(fine, 2);
    const QString coarsePath = scratch(QStringLiteral("l7_57m.tif"));
    QStringList names;
    for (int b = 1; b <= coarse.bands; ++b)
        names << QStringLiteral("band %1").arg(b);
    QVERIFY(test::writeOnGridOf(coarsePath, coarse, info, 2, names).ok());
    trainTinyModule(plugin, QStringLiteral("l7-guided"),
                    {{QStringLiteral("raster"), QStringList{coarsePath}}, {QStringLiteral("guide"), QStringList{kL7}}});
    if (QTest::currentTestFailed())
        return;

    SuperResPanel *panel = m_raster->superResPanel();
    open(coarsePath);
    QVERIFY(panel->selectModule(QStringLiteral("l7-guided")));
    QVERIFY(panel->moduleIsGuided());
    QLineEdit *guide = panel->findChild<QLineEdit *>(QStringLiteral("superResGuide"));
    QVERIFY(guide && guide->isVisibleTo(panel));
    QVERIFY2(guide->toolTip().contains(QLatin1String("2 times finer")), qPrintable(guide->toolTip()));
    // Without the guide: a message that says what to give, and no job.
    const QString output = scratch(QStringLiteral("l7_guided_28m.tif"));
    panel->setOutput(output);
    QSignalSpy failed(m_raster, &RasterWorkspace::failed);
    QVERIFY(m_raster->superResolve().isEmpty());
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("guide")),
             qPrintable(failed.first().first().toString()));
    // With it: the result on the guide's grid, twice the coarse raster's size.
    panel->setGuide(kL7);
    QSignalSpy shown(m_raster, &RasterWorkspace::resultShown);
    panel->runButton()->click();
    QVERIFY(shown.wait(120000));
    QCOMPARE(m_raster->resultPath(), output);
    QCOMPARE(m_raster->afterView()->rasterSize(), QSize(348, 352));
    waitRendered(m_raster->beforeView());
    waitRendered(m_raster->afterView());
    screenshot(QStringLiteral("superres-guided"));
    // An unguided module hides the row again.
    QVERIFY(panel->selectModule(QStringLiteral("l7-tiny")));  // superResolutionEndToEnd's
    QVERIFY(!guide->isVisibleTo(panel));
}

void TestRasterLinkedViews::sentinel2GuideFromTheProduct()
{
    TaskPlugin *plugin = PluginManager::instance().plugin(SuperResPanel::task());
    if (!plugin)
        QSKIP("the super-resolution plugin (libsuperres in " DW_PLUGIN_DIR ") is not built: build the target superres");
    DW_REQUIRE_SHARED_FILE(kL7);
    // A Sentinel-2 product made of the Landsat scene: 10 m = its visible and NIR bands, 20 m and
    // 60 m = block means (reflectance × 10).
    RasterBuffer scene;
    RasterInfo info;
    QVERIFY(readL7Scene(scene, info));
    const RasterBuffer twenty = test::blockMean(scene, 2), sixty = test::blockMean(scene, 6);
    test::Sentinel2Fixture fixture;
    fixture.width10 = 348;
    fixture.height10 = 352;
    fixture.value = [&](const QString &band, int x, int y) {
        const int b = band == QLatin1String("B2") || band == QLatin1String("B1")     ? 0
                      : band == QLatin1String("B3")                                  ? 1
                      : band == QLatin1String("B4") || band == QLatin1String("B5")   ? 2
                      : band == QLatin1String("B11") || band == QLatin1String("B10") ? 4
                      : band == QLatin1String("B12")                                 ? 5
                                                                                     : 3;
        const RasterBuffer &grid = test::sentinel2Bands(10).contains(band)   ? scene
                                   : test::sentinel2Bands(20).contains(band) ? twenty
                                                                             : sixty;
        return 10.0 * grid.at(b, x, y);
    };
    const QString mtd = test::writeSentinel2L1C(scratch(QString()), fixture);
    if (mtd.isEmpty())
        QSKIP("this GDAL cannot write JPEG 2000 (JP2OpenJPEG) for the product's bands");
    const QString ten = test::sentinel2Subdataset(mtd, 10), twentyName = test::sentinel2Subdataset(mtd, 20);
    trainTinyModule(plugin, QStringLiteral("s2-guided"),
                    {{QStringLiteral("raster"), QStringList{twentyName}}, {QStringLiteral("guide"), QStringList{ten}}});
    if (QTest::currentTestFailed())
        return;

    // Open the product, choose its 20 m group: the panel finds the 10 m group as the guide.
    SuperResPanel *panel = m_raster->superResPanel();
    QSignalSpy found(panel, &SuperResPanel::guideCandidatesFound);
    m_raster->openRaster(mtd);
    QInputDialog *chooser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((chooser = m_raster->findChild<QInputDialog *>()) != nullptr, 20000);
    const QStringList items = chooser->comboBoxItems();
    const qsizetype row = items.indexOf(items.filter(QStringLiteral("20m")).value(0));
    QVERIFY2(row >= 0, qPrintable(items.join(u'|')));
    QSignalSpy opened(m_raster, &RasterWorkspace::rasterOpened);
    chooser->setTextValue(items[row]);
    chooser->accept();
    QVERIFY(opened.wait(20000));
    QCOMPARE(opened.first().first().toString(), twentyName);
    QVERIFY(found.wait(20000));
    // The 10 m group (the 60 m one is coarser; the true-colour image has no file here).
    QVERIFY(!panel->guideCandidates().isEmpty());
    QCOMPARE(panel->guideCandidates().first().name, ten);
    QCOMPARE(panel->guideCandidates().first().ratio, 2);
    QVERIFY(panel->selectModule(QStringLiteral("s2-guided")));
    QTRY_COMPARE(panel->guide(), ten);
    panel->setOutput(scratch(QStringLiteral("s2_20m_at_10m.tif")));
    QSignalSpy shown(m_raster, &RasterWorkspace::resultShown);
    panel->runButton()->click();
    QVERIFY(shown.wait(120000));
    QCOMPARE(m_raster->afterView()->rasterSize(), QSize(348, 352));
    waitRendered(m_raster->beforeView());
    waitRendered(m_raster->afterView());
    screenshot(QStringLiteral("superres-sentinel2"));
}

QTEST_MAIN(TestRasterLinkedViews)
#include "test_raster_linked_views.moc"
