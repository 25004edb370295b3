#include "ui/workspace_factory.h"

#include "ui/catalog/catalog_workspace.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/raster/raster_workspace.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/training_workspace.h"

namespace dw {

QList<Workspace *> createWorkspaces(WorkbenchContext &context, QWidget *parent)
{
    return {
        new CatalogWorkspace(context, parent),    new ClassifyWorkspace(context, parent),
        new TrainingWorkspace(context, parent),   new RasterWorkspace(context, parent),
        new TimeSeriesWorkspace(context, parent),
    };
}

}  // namespace dw
