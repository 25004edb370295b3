// The Raster workspace viewing a raster, on real data (L7_ETMs.tif: 6 bands Byte, 349 × 352):
// a resampled read against the full read, the info panel, the composite's pixels against the
// stretch computed from RasterReader::read, a new stretch and new bands changing the picture,
// zoom and pan moving the rendered window and a zoomed-out view read at screen resolution; a
// file GDAL cannot open, a container's subdatasets, nodata, the stretch remembered, a drop.
// Linked before/after views and super-resolution: test_raster_linked_views.cpp. Screenshots
// go to <build>/screenshots/raster-*.png.
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "gui/raster_workspace_fixture.h"
#include "shared_data.h"
#include "ui/message_presenter.h"
#include "ui/raster/raster_display_panel.h"
#include "ui/raster/superres_panel.h"

#include <gdal.h>

#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QMimeData>
#include <QSettings>
#include <QTableWidget>

#include <cmath>

using namespace dw;

namespace {

// A GeoPackage holding two raster tables ("west", "east"): a container with subdatasets and
// no bands of its own. Made with GDAL directly, independent of the code under test.
bool writeTwoTableGeoPackage(const QString &path)
{
    GDALAllRegister();
    GDALDriverH driver = GDALGetDriverByName("GPKG");
    if (!driver)
        return false;
    const char *west[] = {"RASTER_TABLE=west", nullptr};
    const char *east[] = {"RASTER_TABLE=east", "APPEND_SUBDATASET=YES", nullptr};
    for (const char **options : {west, east}) {
        GDALDatasetH dataset =
            GDALCreate(driver, path.toUtf8().constData(), 32, 24, 3, GDT_Byte, const_cast<char **>(options));
        if (!dataset)
            return false;
        double transform[6] = {500000.0, 10.0, 0.0, 4000000.0, 0.0, -10.0};
        GDALSetGeoTransform(dataset, transform);
        std::vector<uint8_t> pixels(32 * 24 * 3);
        for (size_t i = 0; i < pixels.size(); ++i)
            pixels[i] = uint8_t(i * 7 % 251);
        const CPLErr err =
            GDALDatasetRasterIO(dataset, GF_Write, 0, 0, 32, 24, pixels.data(), 32, 24, GDT_Byte, 3, nullptr, 0, 0, 0);
        GDALClose(dataset);
        if (err != CE_None)
            return false;
    }
    return true;
}

}  // namespace

class TestRasterWorkspace : public QObject, public test::RasterWorkspaceFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void resampledReadMatchesTheFullRead();
    void opensTheLandsatSceneWithItsInfo();
    void compositePixelsAreTheStretchedValues();
    void stretchAndBandsChangeThePicture();
    void zoomAndPanMoveTheRenderedWindow();
    void zoomedOutReadsAtScreenResolution();
    void aFileGdalCannotOpenExplains();
    void aContainerOffersItsSubdatasets();
    void nodataIsTransparent();
    void theStretchIsRemembered();
    void aDropOpensTheRaster();
};

void TestRasterWorkspace::initTestCase()
{
    DW_REQUIRE_SHARED_FILE(kL7);
    openWorkbench();
}

void TestRasterWorkspace::cleanupTestCase()
{
    closeWorkbench();
}

void TestRasterWorkspace::resampledReadMatchesTheFullRead()
{
    // A Float32 raster whose values say where they come from: y * 1000 + x.
    const QString path = scratch(QStringLiteral("positions.tif"));
    RasterWriteSpec spec;
    spec.path = path;
    spec.width = 200;
    spec.height = 160;
    spec.bandDescriptions = {QStringLiteral("position")};
    Result<RasterWriter> writer = RasterWriter::create(spec);
    QVERIFY(writer);
    RasterBuffer positions = RasterBuffer::zeros(200, 160, 1);
    for (int y = 0; y < 160; ++y)
        for (int x = 0; x < 200; ++x)
            positions.at(0, x, y) = float(y * 1000 + x);
    QVERIFY(writer->write(QRect(0, 0, 200, 160), positions) && writer->finish());
    Result<RasterReader> reader = RasterReader::open(path);
    QVERIFY(reader);
    const QRect window(20, 8, 160, 120);
    Result<RasterBuffer> same = reader->readResampled(window, window.size());
    Result<RasterBuffer> full = reader->read(window);
    QVERIFY(same && full);
    QVERIFY(same->values == full->values);
    // A quarter of the pixels each way: each value is one source pixel (nearest neighbour, no
    // averaging) near the middle of the 4 × 4 block it stands for.
    Result<RasterBuffer> quarter = reader->readResampled(window, QSize(40, 30));
    QVERIFY(quarter);
    QCOMPARE(quarter->width, 40);
    QCOMPARE(quarter->height, 30);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            const int v = int(quarter->at(0, x, y));
            QCOMPARE(float(v), quarter->at(0, x, y));
            const int sx = v % 1000 - window.x(), sy = v / 1000 - window.y();
            QVERIFY2(sx >= 4 * x && sx < 4 * x + 4 && sy >= 4 * y && sy < 4 * y + 4,
                     qPrintable(QStringLiteral("%1,%2 from %3,%4").arg(x).arg(y).arg(sx).arg(sy)));
        }
    QVERIFY(!reader->readResampled(window, QSize(0, 5)));
    // The Landsat scene has overviews: a small read is served from them.
    Result<RasterReader> landsat = RasterReader::open(kL7);
    QVERIFY(landsat);
    Result<RasterBuffer> small = landsat->readResampled(QRect(0, 0, 349, 352), QSize(44, 44), {3, 2, 1});
    QVERIFY(small);
    QCOMPARE(small->values.size(), size_t(44 * 44 * 3));
}

void TestRasterWorkspace::opensTheLandsatSceneWithItsInfo()
{
    open(kL7);
    QCOMPARE(m_raster->info().bandCount(), 6);
    const QString info = m_raster->displayPanel()->infoLabel()->text();
    QVERIFY2(info.contains(QLatin1String("6 bands")), qPrintable(info));
    QVERIFY2(info.contains(QLatin1String("349")), qPrintable(info));
    QVERIFY2(info.contains(QLatin1String("UTM zone 25S")), qPrintable(info));
    QCOMPARE(m_raster->displayPanel()->bandTable()->rowCount(), 6);
    QCOMPARE(m_raster->displayPanel()->bandTable()->item(0, 1)->text(), QStringLiteral("Byte"));
    QCOMPARE(m_raster->displayPanel()->bands(), (QList<int>{3, 2, 1}));
    QCOMPARE(m_raster->beforeView()->composite().bands, (QList<int>{3, 2, 1}));
    // Fitted: the whole raster is rendered.
    QCOMPARE(m_raster->beforeView()->renderedWindow(), QRect(0, 0, 349, 352));
    // The output is proposed next to the input (or in the home folder when that is read-only).
    const QString output = m_raster->superResPanel()->output();
    QCOMPARE(QFileInfo(output).fileName(), QStringLiteral("L7_ETMs_sr.tif"));
    QVERIFY(QFileInfo(output).absolutePath() == QDir::homePath() ||
            QFileInfo(output).absolutePath() == QFileInfo(kL7).absolutePath());
    screenshot(QStringLiteral("composite"));
}

void TestRasterWorkspace::compositePixelsAreTheStretchedValues()
{
    RasterView *view = m_raster->beforeView();
    const CompositeSpec spec = view->composite();
    Result<RasterReader> reader = RasterReader::open(kL7);
    QVERIFY(reader);
    // The stretch is the 2nd and 98th percentile of each band.
    for (int c = 0; c < 3; ++c) {
        Result<std::vector<double>> p = reader->percentiles(spec.bands[c], {0.02, 0.98}, 250'000);
        QVERIFY(p);
        QCOMPARE(spec.stretches[c].low, (*p)[0]);
        QCOMPARE(spec.stretches[c].high, (*p)[1]);
        QVERIFY(spec.stretches[c].low < spec.stretches[c].high);
    }
    const QImage image = view->renderedImage();
    const QRect window = view->renderedWindow();
    QCOMPARE(image.size(), window.size());  // fitted in a view larger than 349 × 352: no decimation
    Result<RasterBuffer> pixels = reader->read(window, spec.bands);
    QVERIFY(pixels);
    int saturated = 0;
    for (const QPoint p : {QPoint(0, 0), QPoint(100, 200), QPoint(348, 351), QPoint(170, 40), QPoint(222, 333)}) {
        const QRgb rgb = image.pixel(p);
        QCOMPARE(qRed(rgb), int(stretchedValue(pixels->at(0, p.x(), p.y()), spec.stretches[0])));
        QCOMPARE(qGreen(rgb), int(stretchedValue(pixels->at(1, p.x(), p.y()), spec.stretches[1])));
        QCOMPARE(qBlue(rgb), int(stretchedValue(pixels->at(2, p.x(), p.y()), spec.stretches[2])));
        QCOMPARE(qAlpha(rgb), 255);
        saturated += qRed(rgb) == 255 || qRed(rgb) == 0;
    }
    QVERIFY(saturated < 5);
    QCOMPARE(int(stretchedValue(spec.stretches[0].low, spec.stretches[0])), 0);
    QCOMPARE(int(stretchedValue(spec.stretches[0].high, spec.stretches[0])), 255);
}

void TestRasterWorkspace::stretchAndBandsChangeThePicture()
{
    RasterView *view = m_raster->beforeView();
    const QImage before = view->renderedImage();
    QSignalSpy applied(m_raster, &RasterWorkspace::compositeApplied);
    m_raster->displayPanel()->setPercentiles(20.0, 60.0);
    QVERIFY(applied.wait(20000));
    waitRendered(view);
    QCOMPARE(view->composite().lowPercent, 20.0);
    QVERIFY(view->renderedImage() != before);
    // A narrower stretch saturates more pixels.
    auto saturatedCount = [](const QImage &image) {
        int n = 0;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                n += qRed(image.pixel(x, y)) == 255;
        return n;
    };
    QVERIFY(saturatedCount(view->renderedImage()) > saturatedCount(before) * 3);

    // Band 4 (near infrared) in red.
    m_raster->displayPanel()->bandBox(0)->setCurrentIndex(3);
    QVERIFY(applied.wait(20000));
    waitRendered(view);
    QCOMPARE(view->composite().bands, (QList<int>{4, 2, 1}));
    Result<RasterReader> reader = RasterReader::open(kL7);
    QVERIFY(reader);
    Result<RasterBuffer> nir = reader->read(QRect(120, 130, 1, 1), {4});
    QVERIFY(nir);
    QCOMPARE(qRed(view->renderedImage().pixel(120, 130)),
             int(stretchedValue(nir->at(0, 0, 0), view->composite().stretches[0])));
    screenshot(QStringLiteral("nir-composite"));
    m_raster->displayPanel()->setPercentiles(2.0, 98.0);
    QVERIFY(applied.wait(20000));
    m_raster->displayPanel()->setBands({3, 2, 1});
    QVERIFY(applied.wait(20000));
    waitRendered(view);
}

void TestRasterWorkspace::zoomAndPanMoveTheRenderedWindow()
{
    RasterView *view = m_raster->beforeView();
    view->fit();
    waitRendered(view);
    const double fitted = view->scale();
    const QPointF anchor(view->width() / 2.0, view->height() / 2.0);
    const QPointF under = view->toRaster(anchor);
    view->zoomBy(4.0, anchor);
    waitRendered(view);
    QCOMPARE(view->scale(), fitted * 4.0);
    // The point under the anchor stays there.
    QVERIFY(std::abs(view->toRaster(anchor).x() - under.x()) < 1e-6);
    const QRect zoomed = view->renderedWindow();
    QVERIFY(zoomed.width() <= std::ceil(view->visibleRegion().width()) + 1 && zoomed.width() < 349 / 2);
    QVERIFY(zoomed.height() <= std::ceil(view->visibleRegion().height()) + 1 && zoomed.height() < 352 / 2);
    QVERIFY(QRect(0, 0, 349, 352).contains(zoomed));
    QVERIFY(zoomed.contains(under.toPoint()));

    // Dragging right by 80 screen pixels shows what lies left.
    const QRectF visible = view->visibleRegion();
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, QPoint(200, 200));
    QTest::mouseMove(view, QPoint(240, 200));
    QTest::mouseMove(view, QPoint(280, 200));
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, QPoint(280, 200));
    QVERIFY(std::abs(view->visibleRegion().x() - (visible.x() - 80.0 / view->scale())) < 1e-6);
    waitRendered(view);
    QVERIFY(view->renderedWindow().x() < zoomed.x());

    // The wheel zooms around the cursor.
    const QPointF cursor(150, 120);
    const QPointF before = view->toRaster(cursor);
    QWheelEvent wheel(cursor, view->mapToGlobal(cursor), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view, &wheel);
    QCOMPARE(view->scale(), fitted * 4.0 * 1.25);
    QVERIFY(QLineF(view->toRaster(cursor), before).length() < 1e-6);
    // The status line tells the pixel under the cursor and its six values.
    QSignalSpy info(view, &RasterView::pixelInfo);
    QTest::mouseMove(view, cursor.toPoint());
    QTRY_VERIFY_WITH_TIMEOUT(m_raster->statusLabel()->text().contains(
                                 QStringLiteral("x %1, y %2").arg(int(before.x())).arg(int(before.y()))),
                             5000);
    QCOMPARE(m_raster->statusLabel()->text().section(QLatin1String(": "), 1).split(QLatin1Char(' ')).size(), 6);
    waitRendered(view);
    // "From View": the region to super-resolve is what the view shows, inside the raster.
    Q_EMIT m_raster->superResPanel()->regionFromViewRequested();
    const QRect shown = view->visibleRegion().toAlignedRect().intersected(QRect(0, 0, 349, 352));
    QCOMPARE(m_raster->superResPanel()->region(),
             QStringLiteral("%1,%2,%3,%4").arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height()));
    screenshot(QStringLiteral("zoomed"));
    m_raster->superResPanel()->setRegion({});
}

void TestRasterWorkspace::zoomedOutReadsAtScreenResolution()
{
    RasterView *view = m_raster->beforeView();
    view->setView(QPointF(-10, -10), 0.5);
    waitRendered(view);
    QCOMPARE(view->renderedWindow(), QRect(0, 0, 349, 352));
    QCOMPARE(view->renderedImage().size(), QSize(175, 176));  // half the pixels each way
    view->fit();
    waitRendered(view);
}

void TestRasterWorkspace::aFileGdalCannotOpenExplains()
{
    const QString bad = scratch(QStringLiteral("not-a-raster.tif"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is text, not a GeoTIFF\n");
    file.close();
    const QString openBefore = m_raster->info().path;
    QSignalSpy failed(m_raster, &RasterWorkspace::failed);
    QSignalSpy shown(&m_window->context().messages(), &MessagePresenter::messageShown);
    m_raster->openRaster(bad);
    QVERIFY(failed.wait(20000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("GDAL cannot open")) && message.contains(QLatin1String("not-a-raster.tif")),
             qPrintable(message));
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().at(0).value<MessagePresenter::Severity>(), MessagePresenter::Severity::Error);
    // What was open stays open.
    QCOMPARE(m_raster->info().path, openBefore);
    QVERIFY(m_raster->beforeView()->reader());

    m_raster->openRaster(scratch(QStringLiteral("missing.tif")));
    QVERIFY(failed.wait(20000));
    QVERIFY2(failed.last().first().toString().contains(QLatin1String("no such file"), Qt::CaseInsensitive),
             qPrintable(failed.last().first().toString()));
}

void TestRasterWorkspace::aContainerOffersItsSubdatasets()
{
    const QString path = scratch(QStringLiteral("two-tables.gpkg"));
    QVERIFY(writeTwoTableGeoPackage(path));
    m_raster->openRaster(path);
    QInputDialog *chooser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((chooser = m_raster->findChild<QInputDialog *>()) != nullptr, 20000);
    QCOMPARE(chooser->comboBoxItems().size(), 2);
    QVERIFY2(chooser->comboBoxItems().at(1).contains(QLatin1String("east")),
             qPrintable(chooser->comboBoxItems().join(u',')));
    QSignalSpy opened(m_raster, &RasterWorkspace::rasterOpened);
    chooser->setTextValue(chooser->comboBoxItems().at(1));
    chooser->accept();
    QVERIFY(opened.wait(20000));
    QVERIFY2(opened.first().first().toString().endsWith(QLatin1String(":east")),
             qPrintable(opened.first().first().toString()));
    QCOMPARE(m_raster->info().width, 32);
    QCOMPARE(m_raster->beforeView()->rasterSize(), QSize(32, 24));
    waitRendered(m_raster->beforeView());
}

void TestRasterWorkspace::nodataIsTransparent()
{
    const QString path = scratch(QStringLiteral("holes.tif"));
    RasterWriteSpec spec;
    spec.path = path;
    spec.width = 40;
    spec.height = 30;
    spec.bandDescriptions = {QStringLiteral("elevation")};
    spec.nodata = -9999.0;
    Result<RasterWriter> writer = RasterWriter::create(spec);
    QVERIFY(writer);
    RasterBuffer values = RasterBuffer::zeros(40, 30, 1);
    values.valid.assign(values.planeSize(), 1);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            values.at(0, x, y) = float(x + y);
            if (x >= 10 && x < 20 && y >= 5 && y < 15)
                values.valid[size_t(y) * 40 + size_t(x)] = 0;
        }
    QVERIFY(writer->write(QRect(0, 0, 40, 30), values) && writer->finish());
    // Asked for twice in a row: the last one wins, the window does not wait for the first.
    QSignalSpy opened(m_raster, &RasterWorkspace::rasterOpened);
    m_raster->openRaster(kL7);
    m_raster->openRaster(path);
    QVERIFY(opened.wait(20000));
    QCOMPARE(opened.first().first().toString(), path);
    QTest::qWait(100);
    QCOMPARE(opened.size(), 1);
    waitRendered(m_raster->beforeView());
    QCOMPARE(m_raster->beforeView()->composite().bands, QList<int>{1});  // one band: grey
    QVERIFY(!m_raster->displayPanel()->bandBox(1)->isEnabled());
    const QImage image = m_raster->beforeView()->renderedImage();
    QCOMPARE(image.size(), QSize(40, 30));
    QCOMPARE(qAlpha(image.pixel(15, 10)), 0);
    QCOMPARE(qAlpha(image.pixel(5, 10)), 255);
    const QRgb grey = image.pixel(30, 20);
    QCOMPARE(qRed(grey), qGreen(grey));
    QCOMPARE(qGreen(grey), qBlue(grey));
    // On screen the hole shows the checkerboard (two light greys), not black.
    RasterView *view = m_raster->beforeView();
    const QImage shown = view->grab().toImage();
    const QPoint hole = view->toWidget(QPointF(15.5, 10.5)).toPoint();
    const QRgb behind = shown.pixel(hole * shown.devicePixelRatio());
    QVERIFY2(qRed(behind) >= 190 && qRed(behind) == qGreen(behind), qPrintable(QString::number(behind, 16)));
}

void TestRasterWorkspace::theStretchIsRemembered()
{
    QSettings settings(scratch(QStringLiteral("state.ini")), QSettings::IniFormat);
    m_raster->displayPanel()->setPercentiles(5.0, 95.0);
    m_raster->saveState(settings);
    m_raster->displayPanel()->setPercentiles(2.0, 98.0);
    m_raster->restoreState(settings);
    QCOMPARE(m_raster->displayPanel()->lowPercent(), 5.0);
    QCOMPARE(m_raster->displayPanel()->highPercent(), 95.0);
    m_raster->displayPanel()->setPercentiles(2.0, 98.0);
    QTRY_VERIFY_WITH_TIMEOUT(m_raster->beforeView()->composite().lowPercent == 2.0, 20000);
}

void TestRasterWorkspace::aDropOpensTheRaster()
{
    m_window->setCurrentWorkspace(QStringLiteral("catalog"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(kL7)});
    const QPoint centre = m_window->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy opened(m_raster, &RasterWorkspace::rasterOpened);
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(opened.wait(20000));
    QCOMPARE(opened.first().first().toString(), kL7);
    // The window brought the Raster workspace forward.
    QVERIFY(m_raster->isVisible());
    waitRendered(m_raster->beforeView());
}

QTEST_MAIN(TestRasterWorkspace)
#include "test_raster_workspace.moc"
