#pragma once
// The main window as the GUI suites open it: messages announced instead of shown, no
// restored settings, the given size, shown and exposed, and the catalog scanned once.
// nullptr (after a warning saying what failed) when it could not be brought up.
#include "ui/catalog/catalog_service.h"
#include "ui/main_window.h"
#include "ui/workbench_context.h"
#include "ui/workbench_options.h"

#include <QSignalSpy>
#include <QSize>
#include <QTest>

#include <memory>

namespace dw::test {

inline std::unique_ptr<MainWindow> openWorkbenchWindow(QSize size = QSize(1366, 768))
{
    WorkbenchOptions options;
    options.interactive = false;
    options.restoreSettings = false;
    auto window = std::make_unique<MainWindow>(options);
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) {
        qWarning("the workbench window was never exposed");
        return nullptr;
    }
    CatalogService &catalog = window->context().catalog();
    if (!catalog.hasScanned() || catalog.isScanning()) {
        QSignalSpy scanned(&catalog, &CatalogService::scanFinished);
        if (!scanned.wait(20000)) {
            qWarning("the catalog scan did not finish within 20 s");
            return nullptr;
        }
    }
    return window;
}

}  // namespace dw::test
