// Raster file in, raster file out: RasterReader → TiledSuperResolver → RasterWriter.
#include "plugins/superres/infer/raster_superresolution.h"

#include "core/io/raster_geometry.h"
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "plugins/superres/infer/guide_raster.h"
#include "plugins/superres/infer/self_ensemble.h"
#include "plugins/superres/module/loaded_superresolver.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>

#include <cmath>
#include <limits>
#include <optional>

namespace dw::superres {

using namespace Qt::StringLiterals;

namespace {

QString bandName(const RasterInfo &info, int band, const SrModule &module, int position)
{
    const QString description = info.bands.value(band - 1).description.trimmed();
    if (!description.isEmpty())
        return description;
    if (position < module.bandNames.size() && !module.bandNames.at(position).isEmpty())
        return module.bandNames.at(position);
    return u"band %1"_s.arg(band);
}

QJsonArray toJson(const std::array<double, 6> &gt)
{
    QJsonArray a;
    for (double v : gt)
        a.append(v);
    return a;
}

}  // namespace

int defaultOverlap(int blocks, int scale)
{
    const int reach = 2 * blocks + 2;  // output pixels: head, two per block, tail
    return (reach + scale - 1) / std::max(scale, 1) + 2;
}

int moduleOverlap(const SrModule &module)
{
    return module.overlap > 0 ? module.overlap : defaultOverlap(module.network.blocks, module.scale());
}

Result<RasterResult> superResolveRaster(const LoadedSuperResolver &model, const RasterSuperResolutionRequest &request,
                                        JobContext &context)
{
    QElapsedTimer timer;
    timer.start();
    Result<RasterReader> opened = RasterReader::open(request.input);
    if (!opened)
        return Error::at(u"inputs"_s, opened.error().message);
    const RasterReader &reader = *opened;
    const RasterInfo &info = reader.info();
    Result<QList<int>> selected = selectBands(info, request.bands);
    if (!selected)
        return Error::at(u"bands"_s, selected.error().message);
    const QList<int> bands = *selected;
    if (bands.size() != model.bands())
        return Error::at(request.bands.isEmpty() ? u"inputs"_s : u"bands"_s,
                         model.bandMismatchMessage(int(bands.size())));
    std::optional<GuidedWindowReader> guide;
    if (model.module().guided() != !request.guide.isEmpty())
        return Error::at(u"guide"_s, model.guideMismatchMessage(0));
    if (model.module().guided()) {
        Result<int> ratio = guideRatio(request.input, request.guide);
        if (!ratio)
            return ratio.error();
        if (*ratio != model.scale())
            return Error::at(u"guide"_s,
                             u"the guide is %1 times finer than the raster but the module super-resolves ×%2: "
                             "give a guide with %2 times smaller pixels"_s.arg(*ratio)
                                 .arg(model.scale()));
        Result<GuidedWindowReader> opened =
            GuidedWindowReader::open(request.guide, request.guideBands, model.scale(), model.module().guideFill());
        if (!opened)
            return opened.error().field == u"guide"_s || opened.error().field == u"guide-bands"_s
                       ? opened.error()
                       : Error::at(u"guide"_s, opened.error().message);
        guide.emplace(std::move(opened).value());
    }

    QRect roi = request.roi;
    if (request.roiLonLat) {
        const QRectF &box = *request.roiLonLat;
        Result<QRect> window = reader.pixelWindowFromLonLat(box.left(), box.top(), box.right(), box.bottom());
        if (!window)
            return Error::at(u"roi-lonlat"_s, window.error().message);
        roi = *window;
    }

    QStringList warnings;
    if (!info.georeferenced) {
        warnings << u"%1 has no georeference: the output has none either (pixel grid only)"_s.arg(
            QFileInfo(request.input).fileName());
        context.log(u"warning: "_s + warnings.last());
    }

    const int scale = model.scale();
    TiledSuperResolutionOptions options;
    options.scale = scale;
    options.tileSize = request.tileSize > 0 ? request.tileSize : (model.isCuda() ? 256 : 128);
    options.overlap = request.overlap > 0 ? request.overlap : moduleOverlap(model.module());
    options.batchSize = request.batchSize > 0 ? request.batchSize : (model.isCuda() ? 8 : 2);
    options.roi = roi;
    options.originals = request.originals;
    options.outputBands = model.bands();
    TiledSuperResolver tiler(options);
    Result<SuperResTilePlan> plan = tiler.plan(QSize(info.width, info.height));
    if (!plan)
        return Error::at(plan.error().field.isEmpty() ? u"inputs"_s : plan.error().field, plan.error().message);
    roi = plan->roi;

    RasterWriteSpec spec;
    spec.path = request.output;
    spec.driver = request.driver.isEmpty() ? u"GTiff"_s : request.driver;
    spec.width = plan->outputSize.width();
    spec.height = plan->outputSize.height();
    QStringList names;
    for (int i = 0; i < bands.size(); ++i)
        names << bandName(info, bands[i], model.module(), i);
    for (const QString &name : names)
        spec.bandDescriptions << u"SR "_s + name;
    if (request.originals != OriginalBands::None)
        spec.bandDescriptions += names;
    const RasterBandInfo &first = info.bands.at(bands.first() - 1);
    spec.dataType = request.float32 ? u"Float32"_s : first.dataType;
    for (int b : bands) {
        if (info.bands.at(b - 1).hasNodata) {
            spec.nodata = info.bands.at(b - 1).nodata;
            break;
        }
    }
    // A float raster without nodata may still hold NaN pixels (read as no-data): they must come
    // out as no-data too, not as 0 taken for a value, so the output declares NaN as its nodata.
    if (!spec.nodata && (spec.dataType == u"Float32"_s || spec.dataType == u"Float64"_s))
        spec.nodata = std::numeric_limits<double>::quiet_NaN();
    spec.georeferenced = info.georeferenced;
    spec.geoTransform = scaledGeoTransform(info.geoTransform, scale, roi.topLeft());
    spec.crsWkt = info.crsWkt;
    Result<RasterWriter> created = RasterWriter::create(spec);
    if (!created)
        return Error::at(u"output"_s, created.error().message);
    RasterWriter writer = std::move(created).value();

    context.log(
        u"super-resolving %1 (%2 × %3 pixels, region %4,%5 %6 × %7) ×%8 in %9 tiles of %10 px (overlap %11) on %12"_s
            .arg(QFileInfo(request.input).fileName())
            .arg(info.width)
            .arg(info.height)
            .arg(roi.x())
            .arg(roi.y())
            .arg(roi.width())
            .arg(roi.height())
            .arg(scale)
            .arg(plan->tileCount())
            .arg(plan->tileSize)
            .arg(options.overlap)
            .arg(model.device()));
    auto read = [&](const QRect &window) -> Result<RasterBuffer> {
        Result<RasterBuffer> pixels = reader.read(window, bands);
        if (!pixels || !guide)
            return pixels;
        return guide->pack(window, *pixels);
    };
    const TiledSuperResolver::RunBatch network = SelfEnsemble::wrap(
        [&](const std::vector<RasterBuffer> &tiles) { return model.superResolveBatch(tiles, request.precision); },
        request.selfEnsemble, model.windowLayout());
    auto write = [&](const QRect &window, const RasterBuffer &block) { return writer.write(window, block); };
    Result<TiledSuperResolutionStats> stats = tiler.run(QSize(info.width, info.height), read, network, write, context);
    if (!stats)
        return stats.error();  // the writer's destructor removes the temporary file
    if (Result<void> finished = writer.finish(); !finished)
        return Error::at(u"output"_s, finished.error().message);

    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double megapixels = double(spec.width) * double(spec.height) / 1e6;
    RasterResult result;
    result.path = QFileInfo(request.output).absoluteFilePath();
    result.width = spec.width;
    result.height = spec.height;
    result.bands = int(spec.bandDescriptions.size());
    result.metadata = QJsonObject{
        {u"input"_s, QFileInfo(request.input).absoluteFilePath()},
        {u"roi"_s, QJsonArray{roi.x(), roi.y(), roi.width(), roi.height()}},
        {u"scale"_s, scale},
        {u"crs"_s, info.crsName()},
        {u"georeferenced"_s, info.georeferenced},
        {u"geotransform"_s, toJson(spec.geoTransform)},
        {u"band_descriptions"_s, QJsonArray::fromStringList(spec.bandDescriptions)},
        {u"nodata"_s, spec.nodata ? QJsonValue(*spec.nodata) : QJsonValue(QJsonValue::Null)},
        {u"data_type"_s, spec.dataType},
        {u"tiles"_s, stats->tiles},
        {u"tile_size"_s, plan->tileSize},
        {u"overlap"_s, options.overlap},
        {u"batch"_s, options.batchSize},
        {u"self_ensemble"_s, request.selfEnsemble},
        {u"guide"_s, guide ? QJsonValue(QFileInfo(request.guide).absoluteFilePath()) : QJsonValue(QJsonValue::Null)},
        {u"device"_s, model.device()},
        {u"seconds"_s, seconds},
        {u"megapixels_per_second"_s, seconds > 0 ? megapixels / seconds : 0.0},
        {u"warnings"_s, QJsonArray::fromStringList(warnings)}};
    return result;
}

}  // namespace dw::superres
