#include "plugins/superres/superres_plugin.h"

#include "core/task/export_request.h"
#include "plugins/superres/export/onnx_superres_export.h"

#include "core/catalog/manifest_io.h"
#include "core/io/raster_formats.h"
#include "core/io/raster_geometry.h"
#include "core/io/raster_reader.h"
#include "core/ml/distributed_session.h"
#include "core/task/precision_argument.h"
#include "core/task/training_preamble.h"
#include "plugins/superres/infer/guide_raster.h"
#include "plugins/superres/infer/raster_superresolution.h"
#include "plugins/superres/infer/wald_evaluation.h"
#include "plugins/superres/module/loaded_superresolver.h"
#include "plugins/superres/module/sr_module.h"
#include "plugins/superres/module/sr_script_import.h"
#include "plugins/superres/superres_arguments.h"
#include "plugins/superres/train/sr_parent.h"
#include "plugins/superres/train/sr_trainer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <cmath>
#include <exception>
#include <optional>

namespace dw::superres {

using namespace Qt::StringLiterals;

namespace {

QString errorText(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0);
}

struct ReadRaster {
    RasterBuffer pixels;
    QStringList bandNames;
};

// A raster's bands (all, or those asked for) at full size; names from the band descriptions.
Result<ReadRaster> readWhole(const QString &path, const QList<int> &bands, const QRect &roi, const QString &field)
{
    Result<RasterReader> reader = RasterReader::open(path);
    if (!reader)
        return Error::at(field, reader.error().message);
    const RasterInfo &info = reader->info();
    const QRect window = roi.isEmpty() ? QRect(0, 0, info.width, info.height) : roi;
    Result<RasterBuffer> pixels = reader->read(window, bands);
    if (!pixels)
        return Error::at(roi.isEmpty() ? (bands.isEmpty() ? field : u"bands"_s) : u"roi"_s, pixels.error().message);
    ReadRaster out{std::move(pixels).value(), {}};
    const QList<int> used = selectBands(info, bands).valueOr(bands);
    for (int b : used) {
        const QString d = info.bands.value(b - 1).description.trimmed();
        out.bandNames << (d.isEmpty() ? u"band %1"_s.arg(b) : d);
    }
    return out;
}

// Where predict writes: never over its input, over an existing file only when asked, in the
// format the file's extension names (GeoTIFF without one) or the driver given, which must write
// files of that extension.
Result<QString> outputDriver(const QString &input, const QString &output, const QVariantMap &args)
{
    const QFileInfo out(output), in(input);
    if (out.absoluteFilePath() == in.absoluteFilePath() ||
        (out.exists() && in.exists() && out.canonicalFilePath() == in.canonicalFilePath()))
        return Error::at(
            u"output"_s,
            u"%1 is the input raster: write the result to another file, or the scene would be lost"_s.arg(output));
    if (out.exists() && !args.value(u"overwrite"_s).toBool())
        return Error::at(u"output"_s,
                         u"%1 exists already: give --overwrite to replace it, or choose another name"_s.arg(output));
    const QString driver = args.value(u"driver"_s).toString().trimmed();
    const QString suffix = out.suffix().toLower();
    if (driver.isEmpty())
        return suffix.isEmpty() ? u"GTiff"_s : rasterDriverForPath(output);
    const QStringList extensions = rasterDriverExtensions(driver);
    if (!suffix.isEmpty() && !extensions.isEmpty() && !extensions.contains(suffix))
        return Error::at(u"output"_s,
                         u"the %1 driver writes .%2 files, not .%3: name the output %4, or leave out --driver"_s.arg(
                             driver, extensions.first(), suffix, out.completeBaseName() + u'.' + extensions.first()));
    return driver;
}

// The first row of the rows training held out at the bottom of a raster (SrTrainRequest::valFraction).
int heldOutTop(const RasterBuffer &raster, double fraction)
{
    return raster.height - std::clamp(int(std::ceil(raster.height * fraction)), 1, raster.height);
}

// The rows of a raster from `top` down.
RasterBuffer rowsFrom(const RasterBuffer &raster, int top)
{
    top = std::clamp(top, 0, raster.height - 1);
    const int rows = raster.height - top;
    RasterBuffer out = RasterBuffer::zeros(raster.width, rows, raster.bands);
    const size_t offset = size_t(top) * size_t(raster.width);
    for (int b = 0; b < raster.bands; ++b)
        std::copy(raster.band(b) + offset, raster.band(b) + raster.planeSize(), out.band(b));
    if (!raster.valid.empty())
        out.valid.assign(raster.valid.begin() + qsizetype(offset), raster.valid.end());
    return out;
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

// The guide of `raster` read whole (or over roi, in the raster's pixels), after checking that it
// is `scale` times finer over the same area.
Result<ReadRaster> readGuide(const QString &raster, const QString &guide, const QVariant &guideBands, int scale,
                             const QRect &roi)
{
    Result<int> ratio = guideRatio(raster, guide);
    if (!ratio)
        return ratio.error();
    if (*ratio != scale)
        return Error::at(u"guide"_s,
                         u"%1 is %2 times finer than %3, not %4 times: give --scale %2 (or a guide %4 times finer)"_s
                             .arg(QFileInfo(guide).fileName())
                             .arg(*ratio)
                             .arg(QFileInfo(raster).fileName())
                             .arg(scale));
    Result<QList<int>> bands = SuperResArguments::bands(guideBands, u"guide-bands"_s);
    if (!bands)
        return bands.error();
    const QRect fine = roi.isEmpty() ? QRect() : QRect(roi.topLeft() * scale, roi.size() * scale);
    return readWhole(guide, *bands, fine, u"guide"_s);
}

// module.json's "metrics" from the held-out evaluation (flat numbers for the catalog, and
// the bands in detail).
QJsonObject heldOutMetrics(const WaldEvaluation &evaluation, double fraction)
{
    const BandQuality model = ImageQuality::mean(evaluation.model), bicubic = ImageQuality::mean(evaluation.bicubic);
    return {{u"psnr"_s, number(model.psnr)},
            {u"ssim"_s, number(model.ssim)},
            {u"sre"_s, number(model.sre)},
            {u"bicubic_psnr"_s, number(bicubic.psnr)},
            {u"bicubic_ssim"_s, number(bicubic.ssim)},
            {u"bicubic_sre"_s, number(bicubic.sre)},
            {u"psnr_gain"_s, number(evaluation.psnrGain())},
            {u"per_band"_s, evaluation.toJson().value(u"bands"_s)},
            {u"evaluation"_s,
             u"Wald's protocol on the held-out bottom %1 % of the rows"_s.arg(fraction * 100.0, 0, 'g', 3)}};
}

// train()'s request with its rasters (and guides) read; a parent that cannot fit (another
// scale, guided or not) is said before the rasters are read.
Result<SrTrainRequest> readTrainRequest(const QVariantMap &args, JobContext &context)
{
    SrTrainRequest request = SuperResArguments::trainRequest(args);
    if (Result<void> folder = resolveModuleFolder(request.moduleDir); !folder)
        return folder.error();
    Result<QList<int>> bands = SuperResArguments::bands(args.value(u"bands"_s));
    if (!bands)
        return bands.error();
    Result<QRect> region = SuperResArguments::pixelRegion(args.value(u"roi"_s).toString());
    if (!region)
        return region.error();
    if (!request.parentDir.isEmpty()) {
        Result<SrModule> parent = SrParent::readFitting(request.parentDir, request.scale,
                                                        !SuperResArguments::items(args.value(u"guide"_s)).isEmpty());
        if (!parent)
            return parent.error();
    }
    for (const QString &path : SuperResArguments::items(args.value(u"raster"_s))) {
        context.setProgress(0, 0, u"reading %1"_s.arg(QFileInfo(path).fileName()));
        Result<ReadRaster> raster = readWhole(path, *bands, *region, u"raster"_s);
        if (!raster)
            return raster.error();
        if (!request.rasters.empty() && raster->pixels.bands != request.rasters.front().bands)
            return Error::at(u"raster"_s, u"%1 has %2 bands but %3 has %4: every training raster needs the same "
                                          "bands (choose them with --bands)"_s.arg(QFileInfo(path).fileName())
                                              .arg(raster->pixels.bands)
                                              .arg(request.rasterNames.first())
                                              .arg(request.rasters.front().bands));
        if (request.bandNames.isEmpty())
            request.bandNames = raster->bandNames;
        request.rasterNames << QFileInfo(path).fileName();
        request.rasters.push_back(std::move(raster->pixels));
    }
    const QStringList rasterPaths = SuperResArguments::items(args.value(u"raster"_s));
    const QStringList guidePaths = SuperResArguments::items(args.value(u"guide"_s));
    if (!guidePaths.isEmpty() && guidePaths.size() != rasterPaths.size())
        return Error::at(u"guide"_s, u"%1 guide(s) for %2 raster(s): give one --guide per --raster, in the same order"_s
                                         .arg(guidePaths.size())
                                         .arg(rasterPaths.size()));
    for (qsizetype i = 0; i < guidePaths.size(); ++i) {
        context.setProgress(0, 0, u"reading the guide %1"_s.arg(QFileInfo(guidePaths[i]).fileName()));
        Result<ReadRaster> guide =
            readGuide(rasterPaths[i], guidePaths[i], args.value(u"guide-bands"_s), request.scale, *region);
        if (!guide)
            return guide.error();
        if (request.guideBandNames.isEmpty())
            request.guideBandNames = guide->bandNames;
        request.guides.push_back(std::move(guide->pixels));
    }
    return request;
}

}  // namespace

SuperResPlugin::SuperResPlugin() = default;

SuperResPlugin::~SuperResPlugin() = default;

TaskMetadata SuperResPlugin::metadata() const
{
    return {superResolutionTask(),
            u"Super-resolution"_s,
            u"Super-resolve multispectral rasters with a DSen2-style residual network trained on your own rasters by "
            "Wald's protocol; tiled, georeferenced output; PSNR, SSIM and SRE against bicubic upsampling."_s,
            u"0.1.0"_s,
            {u"dsen2"_s}};
}

Result<TaskResult> SuperResPlugin::importModel(const QVariantMap &args, JobContext &context)
{
    SrScriptImport request;
    request.modelPath = args.value(u"model"_s).toString();
    request.bands = args.value(u"bands"_s).toInt();
    request.scale = args.value(u"scale"_s).toInt();
    request.normalization = args.value(u"normalization"_s, request.normalization).toString();
    request.bandNames = SuperResArguments::items(args.value(u"band-names"_s));
    request.overlap = args.value(u"overlap"_s, request.overlap).toInt();
    request.moduleId = args.value(u"name"_s).toString();
    request.title = args.value(u"title"_s).toString();
    request.moduleDir = args.value(u"output"_s).toString();
    if (Result<void> folder = resolveModuleFolder(request.moduleDir); !folder)
        return folder.error();
    try {
        Result<QJsonObject> imported = importScriptedSuperResolution(request, context);
        if (!imported)
            return imported.error();
        return TaskResult(JsonResult{*imported});
    } catch (const std::exception &e) {
        return failure(u"the import failed: %1"_s.arg(errorText(e)));
    }
}

Result<void> SuperResPlugin::warm(const QString &moduleDirectory, JobContext &context)
{
    return m_models.warm(moduleDirectory, context.device());
}

Result<TaskResult> SuperResPlugin::train(const QVariantMap &args, JobContext &context)
{
    try {
        Result<SrTrainRequest> read = readTrainRequest(args, context);
        if (!read)
            return read.error();
        SrTrainRequest &request = read.value();
        Result<SrTrainOutcome> trained = trainSuperResolution(request, context);
        if (!trained)
            return trained.error();
        const SrTrainOutcome &o = *trained;
        QJsonObject result = trainedResultJson({o.moduleDir, request.moduleId, superResolutionTask(), u"dsen2"_s,
                                                o.epochsRun, o.bestEpoch, o.stopped, o.seconds});
        result.insert(u"val_l1"_s, o.bestValL1);
        result.insert(u"val_psnr"_s, o.valPsnr);
        result.insert(u"bicubic_val_psnr"_s, o.bicubicPsnr);
        result.insert(u"train_patches"_s, o.trainPatches);
        if (!request.parentDir.isEmpty()) {
            result.insert(u"parent"_s, request.parentDir);
            result.insert(u"freeze"_s, request.freeze);
        }
        // A distributed run's other ranks leave the scoring (and the module) to rank 0.
        if (o.stopped == u"cancelled"_s || ml::isFollowerRank())
            return TaskResult(JsonResult{result});

        // The held-out rows of every raster, by Wald's protocol, through the tiles of predict.
        context.setProgress(0, 0, u"scoring on the held-out rows"_s);
        Result<std::shared_ptr<LoadedSuperResolver>> model = m_models.get(o.moduleDir, context.device());
        if (!model)
            return model.error();
        const int views = args.value(u"self-ensemble"_s, 1).toInt();
        std::vector<WaldEvaluation> parts;
        for (std::size_t i = 0; i < request.rasters.size(); ++i) {
            const RasterBuffer &raster = request.rasters[i];
            const int top = heldOutTop(raster, request.valFraction);
            const RasterBuffer guide =
                request.guides.empty() ? RasterBuffer() : rowsFrom(request.guides[i], top * request.scale);
            Result<WaldEvaluation> part = evaluateByWald(**model, rowsFrom(raster, top), request.bandNames, context,
                                                         views, request.guides.empty() ? nullptr : &guide);
            if (!part)
                return part.error();
            parts.push_back(std::move(part).value());
        }
        const WaldEvaluation evaluation = WaldEvaluation::average(parts);
        ManifestReadResult manifest = readManifest(o.moduleDir);
        QJsonObject metrics = manifest.manifest.metrics;
        QJsonObject heldOut = heldOutMetrics(evaluation, request.valFraction);
        heldOut.insert(u"self_ensemble"_s, views);
        for (auto it = heldOut.begin(); it != heldOut.end(); ++it)
            metrics.insert(it.key(), it.value());
        manifest.manifest.metrics = metrics;
        if (Result<void> written = writeManifest(manifest.manifest, o.moduleDir); !written)
            return written.error();
        context.log(u"held-out rows: PSNR %1 dB against bicubic %2 dB (%3 dB)"_s
                        .arg(metrics.value(u"psnr"_s).toDouble(), 0, 'f', 2)
                        .arg(metrics.value(u"bicubic_psnr"_s).toDouble(), 0, 'f', 2)
                        .arg(metrics.value(u"psnr_gain"_s).toDouble(), 0, 'f', 2));
        result.insert(u"metrics"_s, metrics);
        return TaskResult(JsonResult{result});
    } catch (const std::exception &e) {
        return failure(u"training failed: %1"_s.arg(errorText(e)));
    }
}

Result<TrainingEstimate> SuperResPlugin::estimateTraining(const QVariantMap &args, JobContext &context)
{
    if (SuperResArguments::items(args.value(u"raster"_s)).isEmpty())
        return failure(u"choose a dataset first (one or more rasters to learn from)"_s, u"raster"_s);
    QVariantMap probe = args;
    if (probe.value(u"output"_s).toString().isEmpty())  // nothing is written: any folder name will do
        probe.insert(u"output"_s, QDir::temp().filePath(u"deepwb-estimate"_s));
    try {
        Result<SrTrainRequest> read = readTrainRequest(probe, context);
        if (!read)
            return read.error();
        return estimateSuperResolutionTraining(std::move(read).value(), context);
    } catch (const std::exception &e) {
        return failure(u"the time estimate failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> SuperResPlugin::predict(const QVariantMap &args, JobContext &context)
{
    try {
        RasterSuperResolutionRequest request;
        const QStringList inputs = SuperResArguments::items(args.value(u"inputs"_s));
        if (inputs.size() != 1)
            return Error::at(u"inputs"_s, u"give exactly one raster to super-resolve (got %1)"_s.arg(inputs.size()));
        request.input = inputs.first();
        Result<QList<int>> bands = SuperResArguments::bands(args.value(u"bands"_s));
        if (!bands)
            return bands.error();
        request.bands = *bands;
        request.guide = args.value(u"guide"_s).toString();
        Result<QList<int>> guideBands = SuperResArguments::bands(args.value(u"guide-bands"_s), u"guide-bands"_s);
        if (!guideBands)
            return guideBands.error();
        request.guideBands = *guideBands;
        const QString roi = args.value(u"roi"_s).toString(), roiLonLat = args.value(u"roi-lonlat"_s).toString();
        if (!roi.isEmpty() && !roiLonLat.isEmpty())
            return Error::at(u"roi"_s, u"give either a region in pixels (roi) or in degrees (roi-lonlat), not both"_s);
        Result<QRect> pixels = SuperResArguments::pixelRegion(roi);
        if (!pixels)
            return pixels.error();
        request.roi = *pixels;
        if (!roiLonLat.isEmpty()) {
            Result<QRectF> box = SuperResArguments::lonLatRegion(roiLonLat);
            if (!box)
                return box.error();
            request.roiLonLat = *box;
        }
        request.output = args.value(u"output"_s).toString();
        Result<QString> driver = outputDriver(request.input, request.output, args);
        if (!driver)
            return driver.error();
        request.driver = *driver;
        request.float32 = args.value(u"output-type"_s).toString() == u"float32"_s;
        const QString originals = args.value(u"originals"_s).toString();
        request.originals = originals == u"nearest"_s   ? OriginalBands::Nearest
                            : originals == u"bicubic"_s ? OriginalBands::Bicubic
                                                        : OriginalBands::None;
        request.tileSize = args.value(u"tile"_s).toInt();
        request.overlap = args.value(u"overlap"_s).toInt();
        request.batchSize = args.value(u"batch"_s).toInt();
        request.selfEnsemble = args.value(u"self-ensemble"_s, 1).toInt();

        Result<std::shared_ptr<LoadedSuperResolver>> model =
            m_models.get(args.value(u"module"_s).toString(), context.device());
        if (!model)
            return model.error();
        Result<ml::Precision> precision =
            precisionOfCall(args, (*model)->device(), (*model)->runs(ml::Precision::Bf16), context);
        if (!precision)
            return precision.error();
        request.precision = *precision;
        Result<RasterResult> written = superResolveRaster(**model, request, context);
        if (!written)
            return written.error();
        RasterResult result = std::move(written).value();
        result.metadata.insert(u"module"_s, (*model)->module().manifest.id);
        return TaskResult(std::move(result));
    } catch (const std::exception &e) {
        return failure(u"super-resolution failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> SuperResPlugin::evaluate(const QVariantMap &args, JobContext &context)
{
    try {
        Result<std::shared_ptr<LoadedSuperResolver>> model =
            m_models.get(args.value(u"module"_s).toString(), context.device());
        if (!model)
            return model.error();
        Result<QList<int>> bands = SuperResArguments::bands(args.value(u"bands"_s));
        if (!bands)
            return bands.error();
        Result<QRect> roi = SuperResArguments::pixelRegion(args.value(u"roi"_s).toString());
        if (!roi)
            return roi.error();
        const QString path = args.value(u"raster"_s).toString();
        context.setProgress(0, 0, u"reading %1"_s.arg(QFileInfo(path).fileName()));
        Result<ReadRaster> raster = readWhole(path, *bands, *roi, u"raster"_s);
        if (!raster)
            return raster.error();
        const int views = args.value(u"self-ensemble"_s, 1).toInt();
        std::optional<ReadRaster> guide;
        if (const QString guidePath = args.value(u"guide"_s).toString(); !guidePath.isEmpty()) {
            Result<ReadRaster> read = readGuide(path, guidePath, args.value(u"guide-bands"_s), (*model)->scale(), *roi);
            if (!read)
                return read.error();
            guide = std::move(read).value();
        }
        Result<ml::Precision> precision =
            precisionOfCall(args, (*model)->device(), (*model)->runs(ml::Precision::Bf16), context);
        if (!precision)
            return precision.error();
        Result<WaldEvaluation> evaluation = evaluateByWald(**model, raster->pixels, raster->bandNames, context, views,
                                                           guide ? &guide->pixels : nullptr, *precision);
        if (!evaluation)
            return Error::at(evaluation.error().field.isEmpty() ? u"raster"_s : evaluation.error().field,
                             evaluation.error().message);
        QJsonObject json = evaluation->toJson();
        json.insert(u"module"_s, (*model)->module().manifest.id);
        json.insert(u"raster"_s, QFileInfo(path).absoluteFilePath());
        json.insert(u"precision"_s, ml::precisionName(*precision));
        json.insert(u"scale"_s, (*model)->scale());
        json.insert(u"protocol"_s, u"wald"_s);
        if (guide)
            json.insert(u"guide"_s, QFileInfo(args.value(u"guide"_s).toString()).absoluteFilePath());
        json.insert(u"self_ensemble"_s, views);
        if (!roi->isEmpty())
            json.insert(u"roi"_s, QJsonArray{roi->x(), roi->y(), roi->width(), roi->height()});
        for (const QJsonValue &band : json.value(u"bands"_s).toArray()) {
            const QJsonObject b = band.toObject();
            context.log(
                u"%1: PSNR %2 dB (bicubic %3 dB), SSIM %4 (%5), SRE %6 dB (%7)"_s.arg(b.value(u"band"_s).toString())
                    .arg(b.value(u"model"_s).toObject().value(u"psnr"_s).toDouble(), 0, 'f', 2)
                    .arg(b.value(u"bicubic"_s).toObject().value(u"psnr"_s).toDouble(), 0, 'f', 2)
                    .arg(b.value(u"model"_s).toObject().value(u"ssim"_s).toDouble(), 0, 'f', 4)
                    .arg(b.value(u"bicubic"_s).toObject().value(u"ssim"_s).toDouble(), 0, 'f', 4)
                    .arg(b.value(u"model"_s).toObject().value(u"sre"_s).toDouble(), 0, 'f', 2)
                    .arg(b.value(u"bicubic"_s).toObject().value(u"sre"_s).toDouble(), 0, 'f', 2));
        }
        return TaskResult(JsonResult{json});
    } catch (const std::exception &e) {
        return failure(u"evaluation failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> SuperResPlugin::exportModel(const QVariantMap &args, JobContext &context)
{
    Q_UNUSED(context);  // one pass over the network: nothing to report or cancel on the way
    Result<ExportRequest> request = readExportRequest(args, exportFormats());
    if (!request)
        return request.error();
    return exportSuperResolutionOnnx(request->module, request->output, request->foldNormalization);
}

}  // namespace dw::superres
