#pragma once
// The demo modules: small trained modules (a Fashion-MNIST classifier, a sunspot forecaster,
// a Landsat super-resolution) and sample inputs for them, shipped read-only beside the
// application so that the first launch has something that works. They are files, not Qt
// resources, because LibTorch and GDAL read files. scripts/make-demo-modules.sh makes them.
#include "core/catalog/catalog_entry.h"

#include <QString>

namespace dw {

// The folder of the demo modules: $DEEPWB_DEMO_MODULES when set (empty: no demo modules),
// else the first that exists of <application>/../share/deep-workbench/demo-modules, the
// installed share folder and the source tree's resources/demo-modules. Empty when none exists.
QString demoModulesDirectory();

// The sample inputs (resources/demo-samples; installed as share/deep-workbench/demo-samples),
// found the same way ($DEEPWB_DEMO_SAMPLES). Empty when none exists.
QString demoSamplesDirectory();

// A read-only module from the demo folder ("demo" among its keywords).
bool isDemo(const CatalogEntry &entry);

}  // namespace dw
