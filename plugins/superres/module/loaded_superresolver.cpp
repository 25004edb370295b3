#include "plugins/superres/module/loaded_superresolver.h"

#include "core/ml/torch/onnx_blob.h"

#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/script_module.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/torch_compat.h"
#include "plugins/superres/models/bicubic_upsampling.h"
#include "plugins/superres/models/dsen2_network.h"

#include <QStringList>

#include <mutex>

namespace dw::superres {

struct LoadedSuperResolver::Impl {
    SrModule module;
    Dsen2Network model{nullptr};
    torch::jit::Module script;            // module.scripted: the network brought as TorchScript
    std::unique_ptr<OpenCvOnnxNet> onnx;  // module.onnx: the graph brought as ONNX, run by OpenCV
    torch::Device device{torch::kCPU};
    QString deviceName;
    std::mutex mutex;  // one pass at a time
};

namespace {
QString shapeText(c10::IntArrayRef sizes)
{
    QStringList parts;
    for (int64_t size : sizes)
        parts << QString::number(size);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

// [N, C, h, w] normalised, nodata as 0, on the CPU: the first `channels` channels of each tile
// (the bands, then a packed guide normalised with the guide's normalisation).
torch::Tensor normalisedBatch(const std::vector<RasterBuffer> &tiles, const SrModule &module, int channels)
{
    const RasterBuffer &first = tiles.front();
    torch::Tensor batch = torch::empty({int64_t(tiles.size()), channels, first.height, first.width}, torch::kFloat32);
    float *out = batch.data_ptr<float>();
    const std::size_t plane = first.planeSize();
    const int bands = module.bands(), packed = module.scale() * module.scale();
    for (const RasterBuffer &tile : tiles) {
        for (int b = 0; b < channels; ++b, out += plane) {
            const BandNormalization &normalization = b < bands ? module.normalization : module.guideNormalization;
            const int band = b < bands ? b : (b - bands) / packed;
            const float offset = float(normalization.offset(band)), inverse = float(1.0 / normalization.scale(band));
            const float *in = tile.band(b);
            for (std::size_t i = 0; i < plane; ++i)
                out[i] = tile.valid.empty() || tile.valid[i] ? (in[i] - offset) * inverse : 0.0f;
        }
    }
    return batch;
}

// The rasters of a [N, B, H, W] result on the original value scale; an output pixel is valid
// when its low-resolution pixel was (invalid ones hold 0).
std::vector<RasterBuffer> denormalisedRasters(const torch::Tensor &result, const std::vector<RasterBuffer> &tiles,
                                              const BandNormalization &normalization, int scale)
{
    const torch::Tensor cpu = result.to(torch::kCPU, torch::kFloat32).contiguous();
    const int bands = int(cpu.size(1)), height = int(cpu.size(2)), width = int(cpu.size(3));
    const float *in = cpu.data_ptr<float>();
    std::vector<RasterBuffer> out;
    out.reserve(tiles.size());
    for (const RasterBuffer &tile : tiles) {
        RasterBuffer fine = RasterBuffer::zeros(width, height, bands);
        if (!tile.valid.empty()) {
            fine.valid.resize(fine.planeSize());
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    fine.valid[std::size_t(y) * std::size_t(width) + std::size_t(x)] =
                        tile.valid[std::size_t(y / scale) * std::size_t(tile.width) + std::size_t(x / scale)];
        }
        for (int b = 0; b < bands; ++b, in += fine.planeSize()) {
            const float offset = float(normalization.offset(b)), factor = float(normalization.scale(b));
            float *plane = fine.band(b);
            for (std::size_t i = 0; i < fine.planeSize(); ++i)
                plane[i] = fine.valid.empty() || fine.valid[i] ? in[i] * factor + offset : 0.0f;
        }
        out.push_back(std::move(fine));
    }
    return out;
}
}  // namespace

LoadedSuperResolver::LoadedSuperResolver(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{}
LoadedSuperResolver::~LoadedSuperResolver() = default;

Result<std::shared_ptr<LoadedSuperResolver>> LoadedSuperResolver::load(const QString &moduleDir, const QString &device)
{
    Result<SrModule> module = readSrModule(moduleDir);
    if (!module)
        return module.error();
    Result<ml::TrainingDevice> target =
        ml::TrainingDevice::fromString(device.isEmpty() ? QStringLiteral("cpu") : device);
    if (!target)
        return target.error();
    auto impl = std::make_unique<Impl>();
    impl->device = target->device();
    impl->deviceName = device.isEmpty() ? QStringLiteral("cpu") : device;
    try {
        target->configure();  // cuDNN autotuning on CUDA: the tiles of a raster share one shape
        if (module->onnx) {
            Result<OpenCvOnnxNet> net = OpenCvOnnxNet::load(module->weightsPath());
            if (!net)
                return Error::at(QStringLiteral("module"), net.error().message);
            impl->onnx = std::make_unique<OpenCvOnnxNet>(std::move(net).value());
            impl->device = torch::kCPU;  // OpenCV runs it on the CPU
        } else if (module->scripted) {
            Result<torch::jit::Module> script = ml::loadScriptModule(module->weightsPath());
            if (!script)
                return Error::at(QStringLiteral("module"), script.error().message);
            impl->script = std::move(script).value();
            impl->script.to(impl->device);
            impl->script.eval();
        } else {
            impl->model = Dsen2Network(module->network);
            impl->model->to(impl->device);
            if (Result<void> loaded = ml::ModuleWeights::load(*impl->model, module->weightsPath(), impl->device);
                !loaded)
                return loaded.error();
            impl->model->eval();
        }
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("cannot load the module %1: %2").arg(moduleDir, torchMessage(error)),
                       QStringLiteral("module"));
    }
    impl->module = std::move(module).value();
    return std::shared_ptr<LoadedSuperResolver>(new LoadedSuperResolver(std::move(impl)));
}

const SrModule &LoadedSuperResolver::module() const
{
    return m_impl->module;
}
int LoadedSuperResolver::scale() const
{
    return m_impl->module.scale();
}
int LoadedSuperResolver::bands() const
{
    return m_impl->module.bands();
}
int LoadedSuperResolver::guideBands() const
{
    return m_impl->module.guideBands();
}
GuideLayout LoadedSuperResolver::windowLayout() const
{
    return m_impl->module.guideLayout();
}
const QString &LoadedSuperResolver::device() const
{
    return m_impl->deviceName;
}
bool LoadedSuperResolver::isCuda() const
{
    return m_impl->device.is_cuda();
}

QString LoadedSuperResolver::bandMismatchMessage(int rasterBands) const
{
    const SrModule &m = m_impl->module;
    return QStringLiteral("the raster has %1 band(s) but the module %2 was trained on %3 (%4): select %3 bands in the "
                          "module's order with --bands")
        .arg(rasterBands)
        .arg(m.manifest.id.isEmpty() ? m.directory : m.manifest.id)
        .arg(m.bands())
        .arg(m.bandNames.join(QStringLiteral(", ")));
}

QString LoadedSuperResolver::guideMismatchMessage(int guideRasterBands) const
{
    const SrModule &m = m_impl->module;
    const QString id = m.manifest.id.isEmpty() ? m.directory : m.manifest.id;
    if (!m.guided())
        return QStringLiteral("the module %1 is not guided: give no guide raster").arg(id);
    if (guideRasterBands == 0)
        return QStringLiteral(
                   "the module %1 is guided by a raster %2 times finer with %3 band(s) (%4): give it with --guide")
            .arg(id)
            .arg(m.scale())
            .arg(m.guideBands())
            .arg(m.guideBandNames.join(QStringLiteral(", ")));
    return QStringLiteral(
               "the guide raster has %1 band(s) but the module %2 was trained with a guide of %3 (%4): select "
               "%3 bands in the module's order with --guide-bands")
        .arg(guideRasterBands)
        .arg(id)
        .arg(m.guideBands())
        .arg(m.guideBandNames.join(QStringLiteral(", ")));
}

Result<RasterBuffer> LoadedSuperResolver::superResolve(const RasterBuffer &lowRes) const
{
    Result<std::vector<RasterBuffer>> batch = superResolveBatch({lowRes});
    if (!batch)
        return batch.error();
    return std::move(batch->front());
}

bool LoadedSuperResolver::runs(ml::Precision precision) const
{
    return precision == ml::Precision::Fp32 || (!isCuda() && !m_impl->onnx && !m_impl->module.scripted);
}

Result<std::vector<RasterBuffer>> LoadedSuperResolver::superResolveBatch(const std::vector<RasterBuffer> &lowRes,
                                                                         ml::Precision precision) const
{
    if (lowRes.empty())
        return std::vector<RasterBuffer>{};
    const RasterBuffer &first = lowRes.front();
    const GuideLayout layout = windowLayout();
    for (const RasterBuffer &tile : lowRes) {
        if (layout.guided() && tile.bands == bands())
            return failure(guideMismatchMessage(0), QStringLiteral("guide"));
        if (tile.bands != layout.channels())
            return failure(bandMismatchMessage(tile.bands), QStringLiteral("bands"));
        if (tile.width < 1 || tile.height < 1 || tile.values.size() != std::size_t(tile.bands) * tile.planeSize() ||
            (!tile.valid.empty() && tile.valid.size() != tile.planeSize()))
            return failure(
                QStringLiteral("a window to super-resolve is empty or inconsistent (%1×%2, %3 band(s), %4 values)")
                    .arg(tile.width)
                    .arg(tile.height)
                    .arg(tile.bands)
                    .arg(tile.values.size()),
                QStringLiteral("raster"));
        if (tile.width != first.width || tile.height != first.height)
            return failure(QStringLiteral("the windows of one batch must have the same size (%1×%2 and %3×%4)")
                               .arg(first.width)
                               .arg(first.height)
                               .arg(tile.width)
                               .arg(tile.height),
                           QStringLiteral("raster"));
    }
    std::lock_guard lock(m_impl->mutex);
    try {
        torch::NoGradGuard noGrad;
        const torch::Tensor input = normalisedBatch(lowRes, m_impl->module, layout.channels()).to(m_impl->device);
        if (m_impl->onnx) {
            const torch::Tensor x = input.to(torch::kCPU);
            Result<OnnxBlob> out = m_impl->onnx->forward(ml::toOnnxBlob(x));
            if (!out)
                return failure(out.error().message, QStringLiteral("module"));
            const std::vector<int64_t> expected{x.size(0), bands(), x.size(2) * scale(), x.size(3) * scale()};
            if (out->dims != expected)
                return failure(QStringLiteral("the ONNX network returned a tensor of shape %1 for tiles of shape %2; a "
                                              "×%3 super-resolution network must return %4")
                                   .arg(shapeText(out->dims), shapeText(x.sizes()))
                                   .arg(scale())
                                   .arg(shapeText(expected)),
                               QStringLiteral("module"));
            const torch::Tensor output = ml::fromOnnxBlob(*out);
            return denormalisedRasters(output, lowRes, m_impl->module.normalization, scale());
        }
        if (m_impl->module.scripted) {
            const torch::Tensor output = ml::runScriptModule(m_impl->script, input);
            const std::vector<int64_t> expected{input.size(0), bands(), input.size(2) * scale(),
                                                input.size(3) * scale()};
            if (output.sizes() != c10::IntArrayRef(expected))
                return failure(
                    QStringLiteral("the TorchScript network returned a tensor of shape %1 for tiles of shape %2; a "
                                   "×%3 super-resolution network must return %4")
                        .arg(shapeText(output.sizes()), shapeText(input.sizes()))
                        .arg(scale())
                        .arg(shapeText(expected)),
                    QStringLiteral("module"));
            return denormalisedRasters(output, lowRes, m_impl->module.normalization, scale());
        }
        torch::Tensor upsampled = bicubicUpsample(input.narrow(1, 0, bands()), scale());
        if (layout.guided())
            upsampled = torch::cat(
                {upsampled, torch::pixel_shuffle(input.narrow(1, bands(), layout.channels() - bands()), scale())}, 1);
        const bool bf16 = precision == ml::Precision::Bf16 && runs(precision);
        compat::AutocastGuard autocast(bf16, at::kBFloat16, at::kCPU);
        const torch::Tensor output =
            m_impl->model->forward(bf16 ? upsampled.contiguous(at::MemoryFormat::ChannelsLast) : upsampled)
                .to(torch::kFloat32)
                .contiguous();
        return denormalisedRasters(output, lowRes, m_impl->module.normalization, scale());
    } catch (const c10::Error &error) {
        return failure(
            QStringLiteral(
                "super-resolution failed in LibTorch: %1 (out of memory? use smaller tiles or a smaller batch)")
                .arg(torchMessage(error)));
    } catch (const std::exception &error) {  // a TorchScript network's own errors
        return failure(QStringLiteral("the TorchScript network failed on a tile: %1")
                           .arg(QString::fromStdString(ml::scriptErrorText(error))));
    }
}

Result<RasterBuffer> LoadedSuperResolver::bicubic(const RasterBuffer &lowRes) const
{
    if (lowRes.bands != bands() && lowRes.bands != windowLayout().channels())
        return failure(bandMismatchMessage(lowRes.bands), QStringLiteral("bands"));
    try {
        torch::NoGradGuard noGrad;
        const std::vector<RasterBuffer> one{lowRes};
        const torch::Tensor input = normalisedBatch(one, m_impl->module, bands());
        return std::move(
            denormalisedRasters(bicubicUpsample(input, scale()), one, m_impl->module.normalization, scale()).front());
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("bicubic upsampling failed in LibTorch: %1").arg(torchMessage(error)));
    }
}

}  // namespace dw::superres
