// The Raster workspace viewing a raster, on real data (L7_ETMs.tif: 6 bands Byte, 349 × 352):
// a resampled read against the full read, the info panel, the composite's pixels against the
// stretch computed from RasterReader::read, a new stretch and new bands changing the picture,
// zoom and pan moving the rendered window and a zoomed-out view read at screen resolution; a
// file GDAL cannot open, a container's subdatasets, nodata, the stretch remembered, a drop;
// bands named with their wavelengths where the file has them, one wording for units, the map
// coordinates under the cursor, the typed region drawn before running, and the default output
// in a writable folder (the path choice itself: test_default_output.cpp).
// Linked before/after views and super-resolution: test_raster_linked_views.cpp. Screenshots
// go to <build>/screenshots/raster-*.png.
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "gui/raster_workspace_fixture.h"
#include "shared_data.h"
#include "ui/message_presenter.h"
#include "ui/raster/default_output.h"
#include "ui/raster/raster_display_panel.h"
#include "ui/raster/superres_panel.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QTableWidget>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

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

// A 4-band Byte GeoTIFF in WGS 84 whose bands say what they are in the ways files do: band 1 a
// description and GDAL 3.7's IMAGERY wavelength items, band 2 a colour interpretation and an
// ENVI-style "wavelength" in nanometres, band 3 a description alone, band 4 nothing. Written
// with GDAL directly, independent of the code under test.
bool writeNamedBands(const QString &path)
{
    GDALAllRegister();
    GDALDriverH driver = GDALGetDriverByName("GTiff");
    if (!driver)
        return false;
    GDALDatasetH dataset = GDALCreate(driver, path.toUtf8().constData(), 40, 30, 4, GDT_Byte, nullptr);
    if (!dataset)
        return false;
    double transform[6] = {10.0, 0.001, 0.0, 50.0, 0.0, -0.001};
    GDALSetGeoTransform(dataset, transform);
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(wgs84, 4326);
    char *wkt = nullptr;
    OSRExportToWkt(wgs84, &wkt);
    GDALSetProjection(dataset, wkt);
    CPLFree(wkt);
    OSRDestroySpatialReference(wgs84);
    GDALRasterBandH blue = GDALGetRasterBand(dataset, 1);
    GDALSetDescription(blue, "Blue");
    GDALSetMetadataItem(blue, "CENTRAL_WAVELENGTH_UM", "0.485", "IMAGERY");
    GDALSetMetadataItem(blue, "FWHM_UM", "0.07", "IMAGERY");
    GDALRasterBandH red = GDALGetRasterBand(dataset, 2);
    GDALSetRasterColorInterpretation(red, GCI_RedBand);
    GDALSetMetadataItem(red, "wavelength", "660", nullptr);
    GDALSetMetadataItem(red, "wavelength_units", "Nanometers", nullptr);
    GDALSetMetadataItem(red, "fwhm", "60", nullptr);
    GDALSetDescription(GDALGetRasterBand(dataset, 3), "NIR");
    // A fourth Byte band is alpha to the GTiff driver unless told otherwise.
    GDALSetRasterColorInterpretation(GDALGetRasterBand(dataset, 4), GCI_Undefined);
    std::vector<uint8_t> pixels(40 * 30 * 4);
    for (size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = uint8_t(i * 13 % 251);
    const CPLErr err =
        GDALDatasetRasterIO(dataset, GF_Write, 0, 0, 40, 30, pixels.data(), 40, 30, GDT_Byte, 4, nullptr, 0, 0, 0);
    GDALClose(dataset);
    return err == CE_None;
}

// An ENVI raster as a spectrometer's software writes it: raw bytes and a header listing band
// names, wavelengths in nanometres and their widths.
bool writeEnviRaster(const QString &path)
{
    QFile data(path);
    if (!data.open(QIODevice::WriteOnly) || data.write(QByteArray(10 * 8 * 3, char(7))) != 240)
        return false;
    data.close();
    QFile header(QString(path).replace(QLatin1String(".img"), QLatin1String(".hdr")));
    if (!header.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    header.write("ENVI\nsamples = 10\nlines = 8\nbands = 3\nheader offset = 0\nfile type = ENVI Standard\n"
                 "data type = 1\ninterleave = bsq\nbyte order = 0\nband names = { green, red edge, swir }\n"
                 "wavelength units = Nanometers\nwavelength = { 560, 705, 1610 }\nfwhm = { 36, 16, 100 }\n");
    return true;
}

QStringList boxTexts(QComboBox *box)
{
    QStringList texts;
    for (int i = 0; i < box->count(); ++i)
        texts << box->itemText(i);
    return texts;
}

QStringList tableTexts(QTableWidget *table, int column)
{
    QStringList texts;
    for (int row = 0; row < table->rowCount(); ++row)
        texts << table->item(row, column)->text();
    return texts;
}

// Every text the workspace shows: labels, line edits and their placeholders, buttons, combo
// items, table cells, tooltips.
QStringList shownTexts(QWidget *root)
{
    QStringList texts;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets << root;
    for (QWidget *widget : std::as_const(widgets)) {
        texts << widget->toolTip();
        if (auto *label = qobject_cast<QLabel *>(widget))
            texts << label->text();
        else if (auto *edit = qobject_cast<QLineEdit *>(widget))
            texts << edit->text() << edit->placeholderText();
        else if (auto *button = qobject_cast<QAbstractButton *>(widget))
            texts << button->text();
        else if (auto *box = qobject_cast<QComboBox *>(widget))
            texts << boxTexts(box);
        else if (auto *table = qobject_cast<QTableWidget *>(widget))
            for (int column = 0; column < table->columnCount(); ++column)
                texts << tableTexts(table, column);
    }
    texts.removeAll(QString());
    return texts;
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
    void bandsAreNamedWithTheirWavelengths();
    void unitsAreWordedOneWay();
    void theCursorShowsMapCoordinates();
    void theTypedRegionIsDrawnBeforeRunning();
    void theDefaultOutputIsWritableAndNew();
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
    // The scene names no band: "Band N" everywhere.
    QCOMPARE(boxTexts(m_raster->displayPanel()->bandBox(0)),
             (QStringList{u"Band 1"_s, u"Band 2"_s, u"Band 3"_s, u"Band 4"_s, u"Band 5"_s, u"Band 6"_s}));
    QCOMPARE(m_raster->displayPanel()->bandBox(0)->currentText(), u"Band 3"_s);
    QCOMPARE(tableTexts(m_raster->displayPanel()->bandTable(), 0).first(), u"Band 1"_s);
    // The output is proposed next to the input (or in the user's Documents when that is
    // read-only), under a name no file has yet.
    const QString output = m_raster->superResPanel()->output();
    QVERIFY2(QFileInfo(output).fileName().startsWith(QStringLiteral("L7_ETMs_sr")), qPrintable(output));
    QVERIFY(!QFileInfo::exists(output));
    QVERIFY(QFileInfo(output).absolutePath() == userOutputFolder() ||
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
                                 QStringLiteral("col %1, row %2").arg(int(before.x())).arg(int(before.y()))),
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

void TestRasterWorkspace::bandsAreNamedWithTheirWavelengths()
{
    const QString path = scratch(QStringLiteral("named-bands.tif"));
    QVERIFY(writeNamedBands(path));
    open(path);
    const QStringList expected{u"Band 1 — Blue (0.45–0.52 µm)"_s, u"Band 2 — Red (0.63–0.69 µm)"_s, u"Band 3 — NIR"_s,
                               u"Band 4"_s};
    for (int c = 0; c < 3; ++c)
        QCOMPARE(boxTexts(m_raster->displayPanel()->bandBox(c)), expected);
    QCOMPARE(tableTexts(m_raster->displayPanel()->bandTable(), 0), expected);
    QCOMPARE(m_raster->displayPanel()->bandBox(0)->currentText(), expected[2]);  // bands 3, 2, 1
    QCOMPARE(m_raster->displayPanel()->bandBox(2)->currentText(), expected[0]);
    screenshot(QStringLiteral("band-names"));

    // ENVI: the header's names and wavelengths (two significant digits of each width).
    const QString envi = scratch(QStringLiteral("spectrometer.img"));
    QVERIFY(writeEnviRaster(envi));
    open(envi);
    QCOMPARE(boxTexts(m_raster->displayPanel()->bandBox(0)),
             (QStringList{u"Band 1 — green (0.542–0.578 µm)"_s, u"Band 2 — red edge (0.697–0.713 µm)"_s,
                          u"Band 3 — swir (1.56–1.66 µm)"_s}));
}

void TestRasterWorkspace::unitsAreWordedOneWay()
{
    open(kL7);
    const QString info = m_raster->displayPanel()->infoLabel()->text();
    QVERIFY2(info.contains(u"349 × 352 pixels"_s), qPrintable(info));
    QVERIFY2(info.contains(u"Pixel size: 28.5 m"_s), qPrintable(info));
    const QString status = m_raster->statusLabel()->text();
    QCOMPARE(status, u"L7_ETMs.tif: 349 × 352 pixels, 6 bands Byte, pixel size 28.5 m, SIRGAS 2000 / UTM zone 25S"_s);
    m_raster->superResPanel()->setRegion(QRect(10, 20, 30, 40));
    QCOMPARE(m_raster->superResPanel()->regionNote()->text(),
             u"30 × 40 pixels from col 10, row 20, drawn on the view."_s);
    // No other wording for the same units anywhere in the workspace.
    const QStringList texts = shownTexts(m_raster);
    QVERIFY(texts.size() > 30);
    static const QRegularExpression other(
        u"ground units|metres|meters|\\bpx\\b|m/pixel|units per pixel|Resolution:|\\bx \\d+, y \\d+"_s);
    for (const QString &text : texts)
        QVERIFY2(!other.match(text).hasMatch(), qPrintable(text));
    m_raster->superResPanel()->setRegion({});
}

void TestRasterWorkspace::theCursorShowsMapCoordinates()
{
    // Projected, in metres: the Landsat scene (its geotransform read here with GDAL directly).
    RasterView *view = m_raster->beforeView();
    view->fit();
    waitRendered(view);
    double transform[6] = {};
    {
        GDALDatasetH dataset = GDALOpen(kL7.toUtf8().constData(), GA_ReadOnly);
        QVERIFY(dataset);
        QCOMPARE(GDALGetGeoTransform(dataset, transform), CE_None);
        GDALClose(dataset);
    }
    const QPoint cursor = view->toWidget(QPointF(100.5, 200.5)).toPoint();
    const QPointF at = view->toRaster(cursor);
    QCOMPARE(int(std::floor(at.x())), 100);
    QCOMPARE(int(std::floor(at.y())), 200);
    QTest::mouseMove(view, cursor);
    QTRY_VERIFY_WITH_TIMEOUT(m_raster->statusLabel()->text().startsWith(u"Before — col 100, row 200 · "_s), 5000);
    const QString status = m_raster->statusLabel()->text();
    static const QRegularExpression metres(
        u"x (-?\\d+(?:\\.\\d+)?) m, y (-?\\d+(?:\\.\\d+)?) m \\(SIRGAS 2000 / UTM zone 25S\\): "_s);
    const QRegularExpressionMatch match = metres.match(status);
    QVERIFY2(match.hasMatch(), qPrintable(status));
    // 28.5 m pixels: whole metres (a tenth of a pixel), so within half a metre.
    const double x = transform[0] + at.x() * transform[1] + at.y() * transform[2];
    const double y = transform[3] + at.x() * transform[4] + at.y() * transform[5];
    QVERIFY2(std::abs(match.captured(1).toDouble() - x) <= 0.5 + 1e-6, qPrintable(status));
    QVERIFY2(std::abs(match.captured(2).toDouble() - y) <= 0.5 + 1e-6, qPrintable(status));
    QVERIFY(match.captured(1).toDouble() > 288776.0 && match.captured(2).toDouble() < 9120761.0);
    // The six values follow the position.
    QCOMPARE(status.section(u": "_s, 1).split(QLatin1Char(' ')).size(), 6);
    screenshot(QStringLiteral("map-coordinates"));

    // Geographic, in degrees (WGS 84, 0.001° pixels: four decimals).
    open(scratch(QStringLiteral("named-bands.tif")));
    const QPoint corner = view->toWidget(QPointF(12.25, 7.75)).toPoint();
    const QPointF p = view->toRaster(corner);
    QTest::mouseMove(view, corner);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_raster->statusLabel()->text().startsWith(u"Before — col %1, row %2 · lon "_s.arg(int(p.x())).arg(int(p.y()))),
        5000);
    const QString geographic = m_raster->statusLabel()->text();
    QVERIFY2(
        geographic.contains(
            u"lon %1°, lat %2° (WGS 84)"_s.arg(10.0 + p.x() * 0.001, 0, 'f', 4).arg(50.0 - p.y() * 0.001, 0, 'f', 4)),
        qPrintable(geographic));
    // Outside the raster the status says nothing about a pixel.
    view->setView(QPointF(-1000, -1000), view->scale());
    QTest::mouseMove(view, QPoint(5, 5));
    QTRY_COMPARE_WITH_TIMEOUT(m_raster->statusLabel()->text(), QString(), 5000);
    view->fit();
    waitRendered(view);
}

void TestRasterWorkspace::theTypedRegionIsDrawnBeforeRunning()
{
    open(kL7);
    RasterView *view = m_raster->beforeView();
    SuperResPanel *panel = m_raster->superResPanel();
    QCOMPARE(view->overlayRegion(), QRect());
    const QPoint topMiddle = view->toWidget(QPointF(100.0, 60.0)).toPoint();
    auto shownAt = [view](QPoint p) {
        const QImage shown = view->grab().toImage();
        return shown.pixelColor(p * shown.devicePixelRatio());
    };
    QVERIFY(shownAt(topMiddle) != RasterView::overlayColour());
    panel->regionEdit()->setFocus();
    QTest::keyClicks(panel->regionEdit(), u"40,60,120,80"_s);
    // Drawn as typed, before Run.
    QCOMPARE(view->overlayRegion(), QRect(40, 60, 120, 80));
    QCOMPARE(panel->regionRect(), QRect(40, 60, 120, 80));
    QCOMPARE(panel->regionNote()->text(), u"120 × 80 pixels from col 40, row 60, drawn on the view."_s);
    QCOMPARE(shownAt(topMiddle), RasterView::overlayColour());
    QCOMPARE(shownAt(view->toWidget(QPointF(40.0, 100.0)).toPoint()), RasterView::overlayColour());  // left edge
    QVERIFY(shownAt(view->toWidget(QPointF(100.0, 100.0)).toPoint()) != RasterView::overlayColour());
    screenshot(QStringLiteral("typed-region"));

    // A region beyond the raster, or a wrong text: nothing drawn, the reason shown, no Run.
    struct Case {
        QString text;
        QString reason;
    };
    const QList<Case> wrong{
        {u"40,60,400,80"_s, u"The region reaches beyond the raster of 349 × 352 pixels (to col 439, row 139)."_s},
        {u"40,60,120"_s, u"Four whole numbers are needed, x,y,width,height in pixels (3 given)."_s},
        {u"40,sixty,120,80"_s, u"The y 'sixty' is not a whole number of pixels."_s},
        {u"40,60,0,80"_s, u"The width and height are at least 1 pixel."_s},
        {u"-1,60,10,80"_s, u"x and y start at 0, the top-left pixel."_s}};
    for (const Case &c : wrong) {
        panel->regionEdit()->clear();
        QTest::keyClicks(panel->regionEdit(), c.text);
        QCOMPARE(view->overlayRegion(), QRect());
        QCOMPARE(panel->regionNote()->text(), c.reason);
        QVERIFY(panel->regionNote()->isVisible());
        QVERIFY(!panel->runButton()->isEnabled());
        QCOMPARE(panel->regionError(), c.reason);
    }
    QVERIFY(shownAt(topMiddle) != RasterView::overlayColour());
    screenshot(QStringLiteral("typed-region-wrong"));
    // Cleared: the whole raster, nothing drawn, nothing to say.
    panel->regionEdit()->clear();
    QCOMPARE(view->overlayRegion(), QRect());
    QVERIFY(panel->regionError().isEmpty());
    QVERIFY(!panel->regionNote()->isVisible());
}

void TestRasterWorkspace::theDefaultOutputIsWritableAndNew()
{
    // A writable folder: next to the input, and an existing result is not proposed again.
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString input = QDir(folder.path()).filePath(u"scene.tif"_s);
    QVERIFY(QFile::copy(scratch(QStringLiteral("named-bands.tif")), input));
    QCOMPARE(SuperResPanel::defaultOutput(input), QDir(folder.path()).filePath(u"scene_sr.tif"_s));
    QFile taken(QDir(folder.path()).filePath(u"scene_sr.tif"_s));
    QVERIFY(taken.open(QIODevice::WriteOnly));
    taken.close();
    open(input);
    QCOMPARE(m_raster->superResPanel()->output(), QDir(folder.path()).filePath(u"scene_sr_2.tif"_s));

    // A read-only folder: the user's Documents (or Pictures, or home), same stem.
    QVERIFY(QFile::setPermissions(folder.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const bool stillWritable = QFileInfo(folder.path()).isWritable();
    QFile::setPermissions(folder.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (stillWritable)
        QSKIP("running as root (or with a capability that overrides permissions): a folder made read-only is "
              "still writable, so this process would rightly write next to the input; the path choice for a "
              "read-only folder is tested with an injected predicate in test_default_output");
    QVERIFY(QFile::setPermissions(folder.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    open(input);
    const QString output = m_raster->superResPanel()->output();
    QFile::setPermissions(folder.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QCOMPARE(QFileInfo(output).absolutePath(), QFileInfo(userOutputFolder()).absoluteFilePath());
    QVERIFY2(QFileInfo(output).fileName().startsWith(u"scene_sr"_s), qPrintable(output));
}

QTEST_MAIN(TestRasterWorkspace)
#include "test_raster_workspace.moc"
