#include "plugins/superres/superres_arguments.h"

#include "core/task/argument_builders.h"
#include "core/task/precision_argument.h"

#include <limits>

namespace dw::superres {

using namespace Qt::StringLiterals;
using namespace dw::args;

namespace {

Result<std::vector<double>> numbers(const QString &text, int count, const QString &field, const QString &shape)
{
    const QStringList parts = text.split(u',', Qt::KeepEmptyParts);
    if (parts.size() != count)
        return Error::at(field, u"'%1' is not %2: give %3 numbers separated by commas"_s.arg(text, shape).arg(count));
    std::vector<double> values;
    for (const QString &part : parts) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            return Error::at(field, u"'%1' in '%2' is not a number (expected %3)"_s.arg(part.trimmed(), text, shape));
        values.push_back(v);
    }
    return values;
}

// A guided module's finer raster and its bands, for predict and evaluate.
void addGuideArguments(ArgumentSchema &s, const QString &group)
{
    ArgumentSpec guide =
        spec(u"guide"_s, ArgType::FilePath, {}, group,
             u"For a guided module: the raster of the same area, as many times finer as the module's scale, "
             "with the bands the module was guided by (e.g. Sentinel-2's 10 m bands)."_s);
    guide.readsFile = true;
    s.add(guide);
    s.add(list(u"guide-bands"_s, group, u"The guide's bands the module reads, 1-based; all when left out."_s));
}

}  // namespace

ArgumentSchema SuperResArguments::train()
{
    const QString data = u"Data"_s, model = u"Model"_s, training = u"Training"_s, output = u"Module"_s;
    ArgumentSchema s;
    ArgumentSpec raster =
        required(list(u"raster"_s, data,
                      u"The raster(s) to learn from: any file GDAL opens (GeoTIFF, JP2, VRT, ...), with "
                      "the same bands. The network learns to restore them from a degraded copy "
                      "(Wald's protocol): no higher-resolution data needed."_s));
    raster.itemType = ArgType::FilePath;
    raster.minimum = 1;
    s.add(raster);
    s.add(list(u"bands"_s, data, u"The bands to use, 1-based: 1,2,3 or 2-4 (all bands when left out)."_s));
    s.add(spec(u"roi"_s, ArgType::String, {}, data,
               u"Train on this region of each raster only, in its pixels: x,y,width,height (e.g. part of a large "
               "scene, which training holds in memory whole); the whole rasters when left out."_s));
    ArgumentSpec guide =
        list(u"guide"_s, data,
             u"Guided super-resolution (DSen2's 20 m → 10 m): for each --raster, in the same order, a raster "
             "of the same area --scale times finer whose detail guides the result (e.g. Sentinel-2's 10 m "
             "bands for its 20 m ones). Predict and evaluate then need a guide too."_s);
    guide.itemType = ArgType::FilePath;
    s.add(guide);
    s.add(list(u"guide-bands"_s, data, u"The guide's bands to use, 1-based (all when left out)."_s));
    s.add(spec(u"scale"_s, ArgType::Int, 2, data,
               u"How many times finer the output grid is (2: half the pixel size); with --guide, how many times "
               "finer the guide is."_s,
               2.0, 8.0));
    s.add(spec(u"val-fraction"_s, ArgType::Float, 0.25, data,
               u"Share of each raster's rows, at the bottom, held out for validation and the final PSNR/SSIM/SRE "
               "against bicubic upsampling."_s,
               0.05, 0.6));
    s.add(spec(u"blocks"_s, ArgType::Int, 6, model, u"Residual blocks of the DSen2-style network."_s, 1.0, 64.0));
    s.add(spec(u"filters"_s, ArgType::Int, 128, model, u"Feature channels inside the network."_s, 4.0, 1024.0));
    s.add(spec(u"patch"_s, ArgType::Int, 48, training,
               u"Side of the training patches in output pixels (a multiple of the scale)."_s, 8.0, 1024.0));
    s.add(
        spec(u"epochs"_s, ArgType::Int, 30, training, u"Passes over freshly drawn training patches."_s, 1.0, 100000.0));
    s.add(spec(u"patches-per-epoch"_s, ArgType::Int, 0, training,
               u"Training patches drawn per epoch; 0: as many as cover the training area about once."_s, 0.0,
               10000000.0));
    s.add(spec(u"batch"_s, ArgType::Int, 16, training, u"Patches per optimisation step."_s, 1.0, 4096.0));
    s.add(spec(u"lr"_s, ArgType::Float, 1e-4, training,
               u"Learning rate (lowered on a plateau of the validation loss)."_s, 1e-7, 1.0));
    s.add(choice(u"optimizer"_s, u"nadam"_s, {u"nadam"_s, u"adam"_s}, training,
                 u"nadam (as DSen2) or adam; L1 loss on the valid pixels."_s));
    s.add(spec(u"patience"_s, ArgType::Int, 8, training,
               u"Stop after this many epochs without a better validation loss; 0: never stop early."_s, 0.0, 100000.0));
    s.add(spec(u"seed"_s, ArgType::Int, 42, training, u"Seed of the initial weights and the patches."_s, 0.0,
               double(std::numeric_limits<int>::max())));
    s.add(spec(u"resume"_s, ArgType::Bool, false, training,
               u"Continue an interrupted training of this module from its last checkpoint."_s));
    s.add(precisionArgument(training, AutoPrecision::Fp32));
    // Not a training setting: how the finished network is scored on the held-out rows.
    s.add(spec(u"self-ensemble"_s, ArgType::Int, 1, u"Final scoring"_s,
               u"Views averaged when scoring the held-out rows: 1 the network alone, 2, 4 or 8 (flips and "
               "rotations, that many times the compute; EDSR+'s self-ensemble)."_s,
               1.0, 8.0));
    const QString transfer = u"Fine-tuning"_s;
    s.add(spec(u"parent"_s, ArgType::FolderPath, {}, transfer,
               u"Fine-tune this trained super-resolution module (its folder; deepwb retrain PARENT fills it) on the "
               "rasters, e.g. of another sensor or region: the new module starts from its network, weights and band "
               "normalisation. The rasters need its band count (and its guide bands, if guided) and --scale its scale; "
               "--blocks and --filters are the parent's."_s));
    s.add(choice(u"freeze"_s, u"full"_s, {u"head"_s, u"partial"_s, u"full"_s}, transfer,
                 u"With a parent, what learns: head (only the last convolution, which writes the bands), partial (the "
                 "last half of the residual blocks and the last convolution) or full (everything)."_s));
    s.add(choice(u"parent-normalization"_s, u"keep"_s, {u"keep"_s, u"refit"_s}, transfer,
                 u"With a parent: keep its band normalisation (the space its weights learnt in; best after a few "
                 "epochs in our tests) or refit it on the new rasters (better for the parent as it is on a sensor with "
                 "a very different calibration)."_s));
    s.add(required(spec(u"name"_s, ArgType::String, {}, output,
                        u"Id of the new module in the catalog (lower-case letters, digits, '.', '_', '-')."_s)));
    s.add(spec(u"output"_s, ArgType::FolderPath, {}, output,
               u"The module folder to write (the catalog's folder of --name when left out)."_s));
    return s;
}

ArgumentSchema SuperResArguments::predict()
{
    const QString input = u"Input"_s, out = u"Output"_s, tiling = u"Tiling"_s;
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, input, u"The trained module's folder."_s)));
    ArgumentSpec inputs = required(list(u"inputs"_s, input, u"The raster to super-resolve (any file GDAL opens)."_s));
    inputs.itemType = ArgType::FilePath;
    inputs.minimum = 1;
    inputs.maximum = 1;
    s.add(inputs);
    s.add(list(u"bands"_s, input,
               u"The raster's bands the module reads, 1-based (1,2,3 or 2-4); all bands when left out."_s));
    addGuideArguments(s, input);
    s.add(spec(u"roi"_s, ArgType::String, {}, input,
               u"Only this region, in pixels: x,y,width,height (the whole raster when left out)."_s));
    s.add(spec(u"roi-lonlat"_s, ArgType::String, {}, input,
               u"Only this region, in degrees: west,south,east,north (needs a georeferenced raster)."_s));
    s.add(required(spec(u"output"_s, ArgType::FilePath, {}, out,
                        u"The raster to write, in the format its extension names (.tif GeoTIFF, .jp2, .img, .nc, ...; "
                        "GeoTIFF without one); written under a temporary name and renamed when complete."_s)));
    s.add(spec(u"overwrite"_s, ArgType::Bool, false, out, u"Replace the output file when it exists already."_s));
    s.add(spec(u"driver"_s, ArgType::String, {}, out,
               u"The GDAL driver that writes the output (GTiff, JP2OpenJPEG, HFA, ...); by default the one of the "
               "output's extension."_s));
    s.add(choice(u"output-type"_s, u"same"_s, {u"same"_s, u"float32"_s}, out,
                 u"same: the input's data type (values rounded and clamped); float32: unrounded."_s));
    s.add(choice(u"originals"_s, u"none"_s, {u"none"_s, u"nearest"_s, u"bicubic"_s}, out,
                 u"Also copy the original bands, upsampled to the new grid, after the super-resolved ones."_s));
    s.add(spec(u"self-ensemble"_s, ArgType::Int, 1, tiling,
               u"Views averaged per tile: 1 the network alone, 2, 4 or 8 (flips and rotations, that many "
               "times the compute, usually a little sharper)."_s,
               1.0, 8.0));
    s.add(spec(u"tile"_s, ArgType::Int, 0, tiling,
               u"Input pixels a side of each tile, borders included; 0: 256 on a GPU, 128 on the CPU."_s, 0.0, 8192.0));
    s.add(spec(u"overlap"_s, ArgType::Int, 0, tiling,
               u"Input pixels of context on each side of a tile; 0: enough for the network's reach."_s, 0.0, 512.0));
    s.add(spec(u"batch"_s, ArgType::Int, 0, tiling, u"Tiles per network call; 0: 8 on a GPU, 2 on the CPU."_s, 0.0,
               1024.0));
    s.add(precisionArgument(tiling));
    return s;
}

ArgumentSchema SuperResArguments::importTorchScript()
{
    const QString model = u"Model"_s, inputs = u"Inputs"_s;
    ArgumentSchema s;
    ArgumentSpec file =
        required(spec(u"model"_s, ArgType::FilePath, {}, model,
                      u"The TorchScript archive (torch.jit.script(net).save(path)): it maps N×bands×h×w tiles "
                      "to N×bands×(scale·h)×(scale·w) for any tile size."_s));
    file.readsFile = true;
    s.add(file);
    s.add(required(spec(u"bands"_s, ArgType::Int, {}, inputs, u"Bands the network reads and writes."_s, 1.0, 1024.0)));
    s.add(required(spec(u"scale"_s, ArgType::Int, {}, inputs, u"The upscaling factor of the network."_s, 2.0, 16.0)));
    ArgumentSpec normalization =
        spec(u"normalization"_s, ArgType::String, u"none"_s, inputs,
             u"How raster values were normalised for the network: none, MEAN,STD for every band, or one "
             "mean per band then one std per band (value ↦ (value − mean) / std; undone on the output)."_s);
    normalization.choices = {u"none"_s};
    s.add(normalization);
    s.add(list(u"band-names"_s, inputs,
               u"Names of the bands, in the network's order (band 1, band 2, ... when left out)."_s));
    s.add(spec(
        u"overlap"_s, ArgType::Int, 8, inputs,
        u"Low-resolution pixels of context around each tile: at least the network's reach, so that tiles join without "
        "seams."_s,
        0.0, 512.0));
    addNewModule(s);
    return s;
}

ArgumentSchema SuperResArguments::evaluate()
{
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, u"Input"_s, u"The trained module's folder."_s)));
    s.add(required(spec(u"raster"_s, ArgType::FilePath, {}, u"Input"_s,
                        u"A raster at its own resolution: degraded by the module's scale (Wald's protocol), "
                        "super-resolved and compared with itself."_s)));
    s.add(list(u"bands"_s, u"Input"_s, u"The raster's bands the module reads, 1-based; all when left out."_s));
    addGuideArguments(s, u"Input"_s);
    s.add(spec(u"roi"_s, ArgType::String, {}, u"Input"_s,
               u"Only this region, in pixels: x,y,width,height (the whole raster when left out)."_s));
    s.add(spec(u"self-ensemble"_s, ArgType::Int, 1, u"Input"_s,
               u"Views averaged per tile: 1 the network alone, 2, 4 or 8 (flips and rotations)."_s, 1.0, 8.0));
    s.add(precisionArgument(u"Input"_s));
    return s;
}

QStringList SuperResArguments::items(const QVariant &value)
{
    QStringList out;
    const QStringList list =
        value.typeId() == QMetaType::QString ? QStringList{value.toString()} : value.toStringList();
    for (const QString &item : list)
        for (const QString &part : item.split(u',', Qt::SkipEmptyParts))
            if (!part.trimmed().isEmpty())
                out << part.trimmed();
    return out;
}

Result<QList<int>> SuperResArguments::bands(const QVariant &value, const QString &field)
{
    QList<int> out;
    for (const QString &item : items(value)) {
        const QStringList range = item.split(u'-');
        bool ok1 = false, ok2 = true;
        const int first = range.value(0).trimmed().toInt(&ok1);
        const int last = range.size() == 2 ? range.value(1).trimmed().toInt(&ok2) : first;
        if (!ok1 || !ok2 || range.size() > 2 || first < 1 || last < first)
            return Error::at(
                field, u"'%1' is not a band number or range: give 1-based numbers such as 1,2,3 or 2-4"_s.arg(item));
        for (int b = first; b <= last; ++b)
            out << b;
    }
    return out;
}

Result<QRect> SuperResArguments::pixelRegion(const QString &text, const QString &field)
{
    if (text.trimmed().isEmpty())
        return QRect();
    Result<std::vector<double>> v = numbers(text, 4, field, u"x,y,width,height"_s);
    if (!v)
        return v.error();
    const std::vector<double> &n = *v;
    if (n[0] < 0 || n[1] < 0 || n[2] < 1 || n[3] < 1)
        return Error::at(field, u"'%1': x and y must be 0 or more, width and height at least 1"_s.arg(text));
    return QRect(int(n[0]), int(n[1]), int(n[2]), int(n[3]));
}

Result<QRectF> SuperResArguments::lonLatRegion(const QString &text, const QString &field)
{
    Result<std::vector<double>> v = numbers(text, 4, field, u"west,south,east,north"_s);
    if (!v)
        return v.error();
    const std::vector<double> &n = *v;
    if (n[1] >= n[3] || n[1] < -90 || n[3] > 90)
        return Error::at(field, u"'%1': south must be below north, both within ±90°"_s.arg(text));
    return QRectF(QPointF(n[0], n[1]), QPointF(n[2], n[3]));
}

SrTrainRequest SuperResArguments::trainRequest(const QVariantMap &args)
{
    SrTrainRequest r;
    r.moduleDir = args.value(u"output"_s).toString();
    r.moduleId = args.value(u"name"_s).toString();
    r.title = args.value(u"title"_s).toString();  // given by the GUI: the name as typed
    r.scale = args.value(u"scale"_s, r.scale).toInt();
    r.blocks = args.value(u"blocks"_s, r.blocks).toInt();
    r.filters = args.value(u"filters"_s, r.filters).toInt();
    r.patchSize = args.value(u"patch"_s, r.patchSize).toInt();
    r.epochs = args.value(u"epochs"_s, r.epochs).toInt();
    r.patchesPerEpoch = args.value(u"patches-per-epoch"_s, r.patchesPerEpoch).toInt();
    r.batchSize = args.value(u"batch"_s, r.batchSize).toInt();
    r.learningRate = args.value(u"lr"_s, r.learningRate).toDouble();
    r.optimizer = args.value(u"optimizer"_s, r.optimizer).toString();
    r.patience = args.value(u"patience"_s, r.patience).toInt();
    r.seed = args.value(u"seed"_s, qulonglong(r.seed)).toULongLong();
    r.precision = args.value(u"precision"_s, r.precision).toString();
    r.resume = args.value(u"resume"_s, r.resume).toBool();
    r.valFraction = args.value(u"val-fraction"_s, r.valFraction).toDouble();
    r.region = args.value(u"roi"_s).toString().trimmed();
    r.parentDir = args.value(u"parent"_s).toString().trimmed();
    r.freeze = args.value(u"freeze"_s, r.freeze).toString();
    r.parentNormalization = args.value(u"parent-normalization"_s, r.parentNormalization).toString();
    return r;
}

}  // namespace dw::superres
