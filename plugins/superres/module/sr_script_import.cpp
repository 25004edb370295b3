#include "plugins/superres/module/sr_script_import.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/module_staging.h"
#include "core/ml/torch/script_module.h"
#include "plugins/superres/module/sr_module.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <sstream>

namespace dw::superres {

using namespace Qt::StringLiterals;

namespace {

QString shapeText(c10::IntArrayRef sizes)
{
    std::ostringstream text;
    text << sizes;
    return QString::fromStdString(text.str());
}

Result<BandNormalization> normalizationFor(const QString &text, int bands)
{
    const QString value = text.trimmed().toLower();
    if (value.isEmpty() || value == u"none"_s)
        return BandNormalization::fromValues(std::vector<double>(size_t(bands), 0.0),
                                             std::vector<double>(size_t(bands), 1.0));
    std::vector<double> numbers;
    for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        numbers.push_back(part.trimmed().toDouble(&ok));
        if (!ok)
            return failure(
                u"\"%1\" is not a number; give none, MEAN,STD or one mean per band then one std per band"_s.arg(part),
                u"normalization"_s);
    }
    if (numbers.size() == 2)
        return BandNormalization::fromValues(std::vector<double>(size_t(bands), numbers[0]),
                                             std::vector<double>(size_t(bands), numbers[1]));
    if (numbers.size() == size_t(2 * bands))
        return BandNormalization::fromValues(std::vector<double>(numbers.begin(), numbers.begin() + bands),
                                             std::vector<double>(numbers.begin() + bands, numbers.end()));
    return failure(
        u"%1 numbers given; give MEAN,STD or %2 means followed by %2 standard deviations"_s.arg(numbers.size())
            .arg(bands),
        u"normalization"_s);
}

// Runs a smooth test tile through the network and checks the shape it returns.
Result<void> checkTile(torch::jit::Module &script, int bands, int scale, int height, int width)
{
    const torch::Tensor tile = torch::sin(torch::arange(int64_t(bands) * height * width, torch::kFloat32) * 0.21)
                                   .reshape({1, bands, height, width});
    torch::Tensor output;
    try {
        torch::NoGradGuard noGrad;
        output = ml::runScriptModule(script, tile);
    } catch (const std::exception &e) {  // the interpreter's errors are not c10::Error
        return failure(
            u"the network fails on a %1-band tile of %2×%3 px: %4. Check --bands and that it accepts tiles of any size"_s
                .arg(bands)
                .arg(width)
                .arg(height)
                .arg(QString::fromStdString(ml::scriptErrorText(e))),
            u"model"_s);
    }
    const std::vector<int64_t> expected{1, bands, int64_t(height) * scale, int64_t(width) * scale};
    if (output.sizes() != c10::IntArrayRef(expected))
        return failure(
            u"for a tile of shape %1 the network returns %2, but a ×%3 super-resolution of %4 band(s) must return %5: "
            "check --bands and --scale"_s.arg(shapeText(tile.sizes()), shapeText(output.sizes()))
                .arg(scale)
                .arg(bands)
                .arg(shapeText(expected)),
            u"model"_s);
    if (!torch::isfinite(output).all().item<bool>())
        return failure(u"the network returns NaN or infinite values on a test tile"_s, u"model"_s);
    return success();
}

}  // namespace

Result<QJsonObject> importScriptedSuperResolution(const SrScriptImport &request, JobContext &context)
{
    if (request.bands < 1 || request.bands > 1024)
        return failure(
            u"give the number of bands the network reads and writes (1 to 1024), got %1"_s.arg(request.bands),
            u"bands"_s);
    if (request.scale < 2 || request.scale > 16)
        return failure(u"the scale must be a whole factor from 2 to 16, got %1"_s.arg(request.scale), u"scale"_s);
    if (!request.bandNames.isEmpty() && request.bandNames.size() != request.bands)
        return failure(
            u"%1 band name(s) given for %2 band(s): give one per band or none"_s.arg(request.bandNames.size())
                .arg(request.bands),
            u"band-names"_s);
    Result<BandNormalization> normalization = normalizationFor(request.normalization, request.bands);
    if (!normalization)
        return normalization.error();
    Result<torch::jit::Module> script = ml::loadScriptModule(request.modelPath);
    if (!script)
        return script.error();
    script->eval();
    context.setProgress(0.2, u"checking the network on test tiles"_s);
    for (const auto &[height, width] : {std::pair{24, 24}, std::pair{17, 31}})
        if (Result<void> ok = checkTile(*script, request.bands, request.scale, height, width); !ok)
            return ok.error();

    auto staging = ModuleStaging::begin(request.moduleDir);
    if (!staging)
        return staging.error();
    if (!QFile::copy(request.modelPath, (*staging)->filePath(u"model.pt"_s)))
        return failure(u"cannot copy %1 into the catalog (is the disk full?)"_s.arg(request.modelPath), u"output"_s);

    SrModule module;
    module.directory = (*staging)->path();
    module.scripted = true;
    module.network = SrNetworkSpec{request.bands, 0, 1, 1, request.scale};
    module.overlap = request.overlap;
    module.normalization = std::move(normalization).value();
    module.bandNames = request.bandNames;
    if (module.bandNames.isEmpty())
        for (int b = 1; b <= request.bands; ++b)
            module.bandNames << u"band %1"_s.arg(b);
    ModuleManifest &m = module.manifest;
    m.id = request.moduleId;
    m.title = request.title.isEmpty() ? request.moduleId : request.title;
    m.summary = u"TorchScript super-resolution network (×%1, %2 band(s)), imported from %3"_s.arg(request.scale)
                    .arg(request.bands)
                    .arg(QFileInfo(request.modelPath).fileName());
    m.keywords = {u"super-resolution"_s, u"torchscript"_s, u"imported"_s};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.weights.file = u"model.pt"_s;
    m.weights.format = u"torchscript"_s;
    const Result<QString> hash = sha256OfFile(request.modelPath);
    m.extra.insert(u"imported_from"_s, QJsonObject{{u"file"_s, QFileInfo(request.modelPath).absoluteFilePath()},
                                                   {u"sha256"_s, hash ? *hash : QString()}});
    context.setProgress(0.8, u"writing the module"_s);
    if (Result<void> written = writeSrModule(module); !written)
        return written.error();
    if (Result<void> moved = (*staging)->commit(); !moved)
        return moved.error();
    context.setProgress(1.0, u"imported"_s);
    return QJsonObject{{u"module"_s, (*staging)->target()},
                       {u"id"_s, m.id},
                       {u"task"_s, superResolutionTask()},
                       {u"architecture"_s, u"torchscript"_s},
                       {u"bands"_s, request.bands},
                       {u"scale"_s, request.scale},
                       {u"band_names"_s, QJsonArray::fromStringList(module.bandNames)}};
}

}  // namespace dw::superres
