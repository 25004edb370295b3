#pragma once
// Super-resolves a raster file into a new raster file with a loaded module: opens the input
// with RasterReader, checks its bands against the module (both counts in the message),
// resolves the region of interest (pixels or lon/lat), and streams TiledSuperResolver from
// the reader through the network into a RasterWriter — output in the input's CRS, with the
// geotransform at the new resolution (same origin, pixel size divided by the scale), band
// descriptions "SR <band>", the input's nodata, under a temporary name renamed only when
// every block is written (a cancelled or failed run leaves nothing under the final name).
// A raster without georeference works, with a warning in the log and the result.
// A guided module also reads its guide (infer/guide_raster.h), window by window.
#include "core/jobs/job_context.h"
#include "core/ml/precision.h"
#include "core/task/task_result.h"
#include "core/util/result.h"
#include "plugins/superres/infer/tiled_superresolver.h"
#include "plugins/superres/module/sr_module.h"

#include <QList>
#include <QRect>
#include <QRectF>
#include <QString>

#include <optional>

namespace dw::superres {

class LoadedSuperResolver;

struct RasterSuperResolutionRequest {
    QString input;                    // a file or subdataset GDAL opens
    QList<int> bands;                 // 1-based; empty: all the raster's bands
    QString guide;                    // guided modules: the finer raster of the same area
    QList<int> guideBands;            // 1-based; empty: all the guide's bands
    QRect roi;                        // raster pixels; empty: the whole raster
    std::optional<QRectF> roiLonLat;  // west/south → east/north in degrees; wins over roi
    QString output;                   // the final file name
    QString driver = QStringLiteral("GTiff");
    bool float32 = false;  // false: the input's data type
    OriginalBands originals = OriginalBands::None;
    int tileSize = 0;      // 0: 256 on a GPU, 128 on the CPU
    int overlap = 0;       // 0: defaultOverlap() of the module's network
    int batchSize = 0;     // 0: 8 on a GPU, 2 on the CPU
    int selfEnsemble = 1;  // views averaged per tile (infer/self_ensemble.h)
    ml::Precision precision = ml::Precision::Fp32;
};

// Input pixels of context a tile needs so that its core sees everything the network would
// see on the whole raster: the network's 3×3 convolutions reach blocks·2 + 2 output pixels,
// bicubic upsampling 2 input pixels more.
int defaultOverlap(int blocks, int scale);
// The module's own overlap (inputs.overlap, set for imported networks) or defaultOverlap().
int moduleOverlap(const SrModule &module);

// RasterResult: path, width, height, bands; metadata {"input", "roi" [x,y,w,h], "scale",
// "crs", "geotransform", "band_descriptions", "nodata", "data_type", "tiles", "tile_size",
// "overlap", "batch", "seconds", "megapixels_per_second" (output pixels), "warnings"}.
Result<RasterResult> superResolveRaster(const LoadedSuperResolver &model, const RasterSuperResolutionRequest &request,
                                        JobContext &context);

}  // namespace dw::superres
