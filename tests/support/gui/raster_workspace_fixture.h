#pragma once
// What the Raster workspace suites share: a main window on a test catalog with the plugins
// of the build tree (set up in initTestCase, closed in cleanupTestCase), the Landsat scene of
// the shared data (L7_ETMs.tif: 6 bands Byte, 349 × 352), and the helpers that open a raster,
// wait for a view to render, take a screenshot (<build>/screenshots/raster-*.png) and name
// a scratch file.
#include "core/jobs/job_manager.h"
#include "gui_test_support.h"
#include "ui/catalog/catalog_service.h"
#include "ui/main_window.h"
#include "ui/raster/raster_view.h"
#include "ui/raster/raster_workspace.h"
#include "ui/workbench_context.h"
#include "workbench_window.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace dw::test {

class RasterWorkspaceFixture {
protected:
    static inline const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

    // The whole of initTestCase: a failed check ends it, and with it the suite.
    void openWorkbench()
    {
        test::isolateSettings(m_settings.path());
        qputenv("DEEPWB_PLUGIN_PATH", QByteArray(DW_PLUGIN_DIR));
        m_catalog = std::make_unique<TestCatalog>();
        QVERIFY(m_catalog->isValid());
        QVERIFY2(QFile::exists(kL7), "the shared Landsat scene is missing");
        m_window = test::openWorkbenchWindow();
        QVERIFY(m_window);
        m_raster = m_window->workspace<RasterWorkspace>();
        QVERIFY(m_raster);
        m_window->setCurrentWorkspace(QStringLiteral("raster"));
    }

    void closeWorkbench()
    {
        if (m_window)
            m_window->context().jobs().waitForAll(60000);
        m_window.reset();
        m_catalog.reset();
    }

    void waitRendered(RasterView *view)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!view->isRendering() && !view->renderedImage().isNull(), 20000);
        QTest::qWait(30);  // a render started by a late resize
        QTRY_VERIFY_WITH_TIMEOUT(!view->isRendering(), 20000);
    }

    void open(const QString &path)
    {
        QSignalSpy opened(m_raster, &RasterWorkspace::rasterOpened);
        m_raster->openRaster(path);
        QVERIFY(opened.wait(20000));
        waitRendered(m_raster->beforeView());
    }

    void screenshot(const QString &name)
    {
        const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
        QVERIFY(QDir().mkpath(folder));
        QTest::qWait(50);
        QVERIFY(m_window->grab().save(QStringLiteral("%1/raster-%2-1366x768.png").arg(folder, name)));
    }

    QString scratch(const QString &name) const { return m_scratch.filePath(name); }

    QTemporaryDir m_settings;
    QTemporaryDir m_scratch;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    RasterWorkspace *m_raster = nullptr;
};

}  // namespace dw::test
