#pragma once
// The catalog workspace as the lineage and compare suites open it: a fresh TestCatalog holding
// the LineageFamily, a non-interactive workbench context, the workspace shown at 1200×800 and
// its first scan finished. Made in init(), dropped in cleanup().
#include "lineage_fixture.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/workbench_context.h"
#include "ui/workbench_options.h"

#include <QSignalSpy>

#include <memory>

namespace dw::test {

struct LineageWorkspace {
    std::unique_ptr<TestCatalog> catalog;
    std::unique_ptr<WorkbenchContext> context;
    std::unique_ptr<CatalogWorkspace> workspace;

    // False (after a warning) when the catalog folder could not be made or the scan never ended.
    bool open()
    {
        catalog = std::make_unique<TestCatalog>();
        if (!catalog->isValid()) {
            qWarning("the test catalog folder could not be made");
            return false;
        }
        LineageFamily::addTo(*catalog);
        WorkbenchOptions options;
        options.interactive = false;
        options.restoreSettings = false;
        context = std::make_unique<WorkbenchContext>(options);
        workspace = std::make_unique<CatalogWorkspace>(*context);
        workspace->resize(1200, 800);
        workspace->show();
        QSignalSpy scanned(&context->catalog(), &CatalogService::scanFinished);
        workspace->activate();
        if (!scanned.wait(20000)) {
            qWarning("the catalog scan did not finish within 20 s");
            return false;
        }
        return true;
    }
    void close()
    {
        workspace.reset();
        context.reset();
        catalog.reset();
    }
};

}  // namespace dw::test
