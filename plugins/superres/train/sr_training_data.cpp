#include "plugins/superres/train/sr_training_data.h"

#include "plugins/superres/data/wald_degradation.h"
#include "plugins/superres/models/bicubic_upsampling.h"

#include <QCryptographicHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dw::superres {

namespace {
// Automatic patches per epoch: about twice the training area's worth, in whole batches,
// between 8 batches and this many patches.
constexpr int kMaxAutoPatches = 4096;

RasterBuffer croppedToBlocks(const RasterBuffer &raster, int scale)
{
    const int w = raster.width / scale * scale, h = raster.height / scale * scale;
    if (w == raster.width && h == raster.height)
        return raster;
    RasterBuffer out = RasterBuffer::zeros(w, h, raster.bands);
    for (int b = 0; b < raster.bands; ++b)
        for (int y = 0; y < h; ++y)
            std::copy_n(raster.band(b) + std::size_t(y) * std::size_t(raster.width), w,
                        out.band(b) + std::size_t(y) * std::size_t(w));
    if (!raster.valid.empty()) {
        out.valid.resize(out.planeSize());
        for (int y = 0; y < h; ++y)
            std::copy_n(raster.valid.data() + std::size_t(y) * std::size_t(raster.width), w,
                        out.valid.data() + std::size_t(y) * std::size_t(w));
    }
    return out;
}

// The raster cut or grown (last column/row repeated) to width × height.
RasterBuffer fittedTo(const RasterBuffer &raster, int width, int height)
{
    if (raster.width == width && raster.height == height)
        return raster;
    RasterBuffer out = RasterBuffer::zeros(width, height, raster.bands);
    if (!raster.valid.empty())
        out.valid.resize(out.planeSize());
    for (int y = 0; y < height; ++y) {
        const std::size_t from = std::size_t(std::min(y, raster.height - 1)) * std::size_t(raster.width);
        const std::size_t to = std::size_t(y) * std::size_t(width);
        for (int x = 0; x < width; ++x) {
            const std::size_t sx = std::size_t(std::min(x, raster.width - 1));
            for (int b = 0; b < raster.bands; ++b)
                out.band(b)[to + std::size_t(x)] = raster.band(b)[from + sx];
            if (!raster.valid.empty())
                out.valid[to + std::size_t(x)] = raster.valid[from + sx];
        }
    }
    return out;
}

void addToHash(QCryptographicHash &hash, const RasterBuffer &raster)
{
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(raster.values.data()),
                                qsizetype(raster.values.size() * sizeof(float))));
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(raster.valid.data()), qsizetype(raster.valid.size())));
}

// Normalised values of nodata pixels set to 0 (the band's centre).
void zeroInvalid(RasterBuffer &raster)
{
    if (raster.valid.empty())
        return;
    for (int b = 0; b < raster.bands; ++b) {
        float *plane = raster.band(b);
        for (std::size_t i = 0; i < raster.planeSize(); ++i)
            if (!raster.valid[i])
                plane[i] = 0.0f;
    }
}

torch::Tensor planes(const RasterBuffer &raster)
{
    return torch::from_blob(const_cast<float *>(raster.values.data()), {raster.bands, raster.height, raster.width},
                            torch::kFloat32)
        .clone();
}

torch::Tensor validity(const RasterBuffer &raster)
{
    if (raster.valid.empty())
        return torch::ones({1, raster.height, raster.width}, torch::kFloat32);
    return torch::from_blob(const_cast<uint8_t *>(raster.valid.data()), {1, raster.height, raster.width}, torch::kUInt8)
        .to(torch::kFloat32);
}
}  // namespace

torch::Tensor maskedL1(const torch::Tensor &predicted, const torch::Tensor &target, const torch::Tensor &mask)
{
    const torch::Tensor weight = mask.expand_as(target);
    return ((predicted - target).abs() * weight).sum() / weight.sum().clamp_min(1.0);
}

std::vector<double> maskedPsnr(const torch::Tensor &predicted, const torch::Tensor &target, const torch::Tensor &mask,
                               const std::vector<double> &range)
{
    const torch::Tensor weight = mask.expand_as(target).to(torch::kFloat64);
    const torch::Tensor squared = (predicted.to(torch::kFloat64) - target.to(torch::kFloat64)).pow(2) * weight;
    const torch::Tensor mse = squared.sum({0, 2, 3}) / weight.sum({0, 2, 3}).clamp_min(1.0);
    const torch::Tensor cpu = mse.cpu();
    std::vector<double> psnr;
    for (int64_t b = 0; b < cpu.size(0); ++b) {
        const double e = std::max(cpu[b].item<double>(), 1e-20);
        psnr.push_back(10.0 * std::log10(range[std::size_t(b)] * range[std::size_t(b)] / e));
    }
    return psnr;
}

Result<SrTrainingData> SrTrainingData::build(const SrTrainRequest &request, const JobContext &context,
                                             const SrGivenNormalization &given)
{
    SrTrainingData data;
    const int s = request.scale;
    std::vector<const RasterBuffer *> pointers;
    for (const RasterBuffer &r : request.rasters)
        pointers.push_back(&r);
    Result<BandNormalization> normalization =
        given.bands ? Result<BandNormalization>(*given.bands) : BandNormalization::fit(pointers, request.normalization);
    if (!normalization)
        return normalization.error();
    data.m_normalization = std::move(normalization).value();
    const bool guided = !request.guides.empty();
    if (guided && given.guide) {
        data.m_guideNormalization = *given.guide;
    } else if (guided) {
        std::vector<const RasterBuffer *> guides;
        for (const RasterBuffer &g : request.guides)
            guides.push_back(&g);
        Result<BandNormalization> guideNormalization = BandNormalization::fit(guides, request.normalization);
        if (!guideNormalization)
            return Error::at(QStringLiteral("guide"),
                             QStringLiteral("the guide rasters: ") + guideNormalization.error().message);
        data.m_guideNormalization = std::move(guideNormalization).value();
    }

    QCryptographicHash hash(QCryptographicHash::Sha256);
    QJsonArray rasters;
    std::vector<QSize> sizes;
    std::vector<std::vector<uint8_t>> masks;
    for (std::size_t i = 0; i < request.rasters.size(); ++i) {
        const RasterBuffer &original = request.rasters[i];
        const QString name = qsizetype(i) < request.rasterNames.size() ? request.rasterNames.at(qsizetype(i))
                                                                       : QStringLiteral("raster %1").arg(i + 1);
        context.setProgress(0, 0, QStringLiteral("degrading %1 by %2 (Wald's protocol)").arg(name).arg(s));
        addToHash(hash, original);
        RasterBuffer fine = croppedToBlocks(original, s);
        data.m_normalization.apply(fine);
        zeroInvalid(fine);  // nodata (possibly NaN) must not reach the loss, even masked (NaN × 0 is NaN)
        Result<RasterBuffer> coarse = WaldDegradation::degrade(fine, s);
        if (!coarse)
            return failure(QStringLiteral("%1: %2").arg(name, coarse.error().message), coarse.error().field);
        zeroInvalid(*coarse);  // nodata as the band's centre, as inference does
        RasterTensors tensors;
        tensors.target = planes(fine);
        tensors.input = bicubicUpsample(planes(*coarse).unsqueeze(0), s).squeeze(0).contiguous();
        const torch::Tensor coarseValid = validity(*coarse).repeat_interleave(s, 1).repeat_interleave(s, 2);
        tensors.mask = coarseValid * validity(fine);
        if (guided) {
            // The guide on the raster's grid, degraded as the raster was: what the finer bands
            // tell about the raster's own pixels, as the real guide will about the finer grid.
            const RasterBuffer &originalGuide = request.guides[i];
            addToHash(hash, originalGuide);
            RasterBuffer guide = fittedTo(originalGuide, fine.width * s, fine.height * s);
            data.m_guideNormalization.apply(guide);
            zeroInvalid(guide);
            Result<RasterBuffer> degradedGuide = WaldDegradation::degrade(guide, s);
            if (!degradedGuide)
                return failure(QStringLiteral("the guide of %1: %2").arg(name, degradedGuide.error().message),
                               QStringLiteral("guide"));
            zeroInvalid(*degradedGuide);
            tensors.input = torch::cat({tensors.input, planes(*degradedGuide)}, 0).contiguous();
            tensors.mask = tensors.mask * validity(*degradedGuide);
        }
        tensors.mask = tensors.mask.contiguous();
        const torch::Tensor maskBytes = tensors.mask.to(torch::kUInt8).contiguous();
        masks.emplace_back(maskBytes.data_ptr<uint8_t>(), maskBytes.data_ptr<uint8_t>() + maskBytes.numel());
        sizes.emplace_back(fine.width, fine.height);
        data.m_rasters.push_back(std::move(tensors));
        rasters.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("width"), original.width},
                                   {QStringLiteral("height"), original.height}});
    }
    PatchSamplerOptions options;
    options.patchSize = request.patchSize;
    options.scale = s;
    options.validationFraction = request.valFraction;
    Result<PatchSampler> sampler = PatchSampler::create(sizes, masks, options);
    if (!sampler)
        return sampler.error();
    data.m_sampler = std::move(sampler).value();
    data.m_patchSize = request.patchSize;

    double trainArea = 0.0;
    for (std::size_t r = 0; r < sizes.size(); ++r)
        trainArea +=
            double(data.m_sampler.trainingArea(int(r)).width()) * double(data.m_sampler.trainingArea(int(r)).height());
    int patches = request.patchesPerEpoch;
    if (patches == 0) {
        const int automatic =
            int(std::min<double>(kMaxAutoPatches, 2.0 * trainArea / double(request.patchSize * request.patchSize)));
        patches = std::max(8 * request.batchSize, automatic / request.batchSize * request.batchSize);
    }
    data.m_patchesPerEpoch = patches;

    const std::vector<PatchRef> &val = data.m_sampler.validationPatches();
    data.m_validation = data.gather(val, 0, val.size());
    const torch::Tensor weight = data.m_validation.mask.expand_as(data.m_validation.target) > 0.5;
    for (int64_t b = 0; b < data.m_validation.target.size(1); ++b) {
        const torch::Tensor values = data.m_validation.target.select(1, b).masked_select(weight.select(1, b));
        const double range = values.numel() > 0 ? (values.max() - values.min()).item<double>() : 1.0;
        data.m_validationRange.push_back(range > 1e-12 ? range : 1.0);
    }
    data.m_hash = QString::fromLatin1(hash.result().toHex());
    data.m_provenance = {
        {QStringLiteral("rasters"), rasters},
        {QStringLiteral("bands"), request.rasters.front().bands},
        {QStringLiteral("sha256"), data.m_hash},
        {QStringLiteral("degradation"),
         QStringLiteral("wald: gaussian sigma 1/scale (fine pixels), block mean, bicubic")},
        {QStringLiteral("validation"), QJsonObject{{QStringLiteral("fraction"), request.valFraction},
                                                   {QStringLiteral("rows"), QStringLiteral("bottom")}}},
        {QStringLiteral("guide_bands"), guided ? request.guides.front().bands : 0},
        {QStringLiteral("train_patches_per_epoch"), patches},
        {QStringLiteral("val_patches"), qint64(val.size())}};
    return data;
}

SrPatchBatch SrTrainingData::gather(const std::vector<PatchRef> &patches, std::size_t begin, std::size_t count) const
{
    std::vector<torch::Tensor> inputs, targets, masks;
    const int64_t p = m_patchSize;
    for (std::size_t i = begin; i < begin + count && i < patches.size(); ++i) {
        const PatchRef &patch = patches[i];
        const RasterTensors &r = m_rasters.at(std::size_t(patch.raster));
        const auto cut = [&](const torch::Tensor &t) {
            torch::Tensor piece = t.narrow(1, patch.y, p).narrow(2, patch.x, p);
            if (patch.transform & 1)
                piece = piece.flip({2});
            if (patch.transform & 2)
                piece = piece.flip({1});
            if (patch.transform & 4)
                piece = piece.transpose(1, 2);
            return piece;
        };
        inputs.push_back(cut(r.input));
        targets.push_back(cut(r.target));
        masks.push_back(cut(r.mask));
    }
    if (inputs.empty())
        return {};
    return {torch::stack(inputs), torch::stack(targets), torch::stack(masks)};
}

}  // namespace dw::superres
