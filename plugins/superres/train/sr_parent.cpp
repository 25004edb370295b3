#include "plugins/superres/train/sr_parent.h"

#include "core/jobs/job_context.h"
#include "core/ml/torch/module_weights.h"
#include "plugins/superres/models/dsen2_network.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <algorithm>

namespace dw::superres {

namespace {

QString named(const SrModule &parent)
{
    return parent.manifest.id.isEmpty() ? QDir(parent.directory).dirName() : parent.manifest.id;
}

QString bandList(const QStringList &names)
{
    return names.size() <= 6 ? names.join(QStringLiteral(", "))
                             : names.mid(0, 6).join(QStringLiteral(", ")) + QStringLiteral(", ...");
}

// The band counts of the rasters and guides against the parent's.
Result<void> checkBands(const SrModule &parent, const SrTrainRequest &request)
{
    const QString name = named(parent);
    if (!request.rasters.empty() && request.rasters.front().bands != parent.bands())
        return failure(
            QStringLiteral("the parent %1 super-resolves %2 band(s) (%3) but the rasters have %4: fine-tuning needs "
                           "the same bands in the same order; choose them with --bands (e.g. --bands 1-%2), or "
                           "train a new module from scratch")
                .arg(name)
                .arg(parent.bands())
                .arg(bandList(parent.bandNames))
                .arg(request.rasters.front().bands),
            QStringLiteral("bands"));
    if (!request.guides.empty() && request.guides.front().bands != parent.guideBands())
        return failure(
            QStringLiteral("the parent %1 is guided by %2 finer band(s) (%3) but the guides have %4: choose the same "
                           "guide bands with --guide-bands")
                .arg(name)
                .arg(parent.guideBands())
                .arg(bandList(parent.guideBandNames))
                .arg(request.guides.front().bands),
            QStringLiteral("guide-bands"));
    return success();
}

}  // namespace

QStringList srTrainablePrefixes(const QString &freeze, int blocks)
{
    if (freeze == QLatin1String("head"))
        return {QStringLiteral("tail.")};
    if (freeze == QLatin1String("partial")) {
        QStringList prefixes{QStringLiteral("tail.")};
        for (int b = blocks - std::max(1, blocks / 2); b < blocks; ++b)
            prefixes << QStringLiteral("blocks.%1.").arg(b);
        return prefixes;
    }
    return {};
}

Result<SrModule> SrParent::readFitting(const QString &parentDir, int scale, bool guided)
{
    Result<SrModule> read = readSrModule(parentDir);
    if (!read)
        return Error::at(QStringLiteral("parent"),
                         QStringLiteral("cannot fine-tune from %1: %2").arg(parentDir, read.error().message));
    const SrModule &parent = *read;
    const QString name = named(parent);
    if (parent.onnx)
        return failure(QStringLiteral("the parent %1 is an ONNX graph run by OpenCV, which cannot train it: fine-tune "
                                      "the module it was exported from, or train a new module")
                           .arg(name),
                       QStringLiteral("parent"));
    if (parent.scripted)
        return failure(
            QStringLiteral("the parent %1 is a TorchScript network imported from PyTorch: only modules trained in the "
                           "workbench (DSen2-style) can be fine-tuned; train a new module from scratch instead")
                .arg(name),
            QStringLiteral("parent"));
    if (parent.scale() != scale)
        return failure(
            QStringLiteral("the parent %1 super-resolves ×%2 but the scale asked is %3: a fine-tuned module works at "
                           "its parent's scale; give --scale %2 (or train from scratch for ×%3)")
                .arg(name)
                .arg(parent.scale())
                .arg(scale),
            QStringLiteral("scale"));
    if (parent.guided() && !guided)
        return failure(
            QStringLiteral(
                "the parent %1 is guided by %2 finer band(s) (%3): give a --guide raster for every --raster, "
                "%4 times finer, with those bands")
                .arg(name)
                .arg(parent.guideBands())
                .arg(bandList(parent.guideBandNames))
                .arg(parent.scale()),
            QStringLiteral("guide"));
    if (!parent.guided() && guided)
        return failure(
            QStringLiteral("the parent %1 is not guided, but guide rasters were given: leave out --guide, or train a "
                           "guided module from scratch")
                .arg(name),
            QStringLiteral("guide"));
    return read;
}

Result<SrParent> SrParent::load(const SrTrainRequest &request)
{
    SrParent parent;
    parent.m_freeze = request.freeze;
    parent.m_keepNormalization = request.parentNormalization != QLatin1String("refit");
    if (request.parentDir.isEmpty())
        return parent;
    Result<SrModule> module = readFitting(request.parentDir, request.scale, !request.guides.empty());
    if (!module)
        return module.error();
    if (Result<void> bands = checkBands(*module, request); !bands)
        return bands.error();
    parent.m_module = std::move(module).value();
    return parent;
}

SrNetworkSpec SrParent::networkSpec(const SrTrainRequest &request) const
{
    return m_module ? m_module->network : request.networkSpec();
}

// By default the child keeps the parent's normalisation rather than refitting it on the new
// rasters: the weights were learnt on values in that space (the first convolution's weights and
// biases, the residual amplitudes the tail adds to the bicubic input), so the same radiance
// stays the same input, the child's validation L1 is on the parent's scale, and a small target
// set (a few scenes of one land cover) does not stretch its own contrast onto the parent's
// range. Measured in test_sr_finetune (parent on the top of L7_ETMs.tif, child on 112 × 112 px
// of the bottom with per-band gains 1.25-1.75 and offsets, 6 epochs × 64 patches): kept +0.77 dB
// over bicubic, refitted +0.74 dB (scratch +0.47 dB). Refitting helps the parent as it is,
// before any step, on strongly recalibrated rasters (+0.72 against +0.38 dB with gains twice
// those), but the first epochs of fine-tuning absorb the shift; "refit" is there for that case.
const BandNormalization *SrParent::normalization() const
{
    return keepsNormalization() ? &m_module->normalization : nullptr;
}

const BandNormalization *SrParent::guideNormalization() const
{
    return keepsNormalization() && m_module->guided() ? &m_module->guideNormalization : nullptr;
}

Result<void> SrParent::applyTo(Dsen2NetworkImpl &model, JobContext &context) const
{
    if (!m_module)
        return success();
    if (Result<void> loaded = ml::ModuleWeights::load(model, m_module->weightsPath(), torch::kCPU); !loaded)
        return Error::at(QStringLiteral("parent"), QStringLiteral("the weights of the parent %1 cannot be loaded: %2")
                                                       .arg(named(*m_module), loaded.error().message));
    const QStringList prefixes = srTrainablePrefixes(m_freeze, m_module->network.blocks);
    int64_t learning = 0, total = 0;
    for (auto &item : model.named_parameters()) {
        const QString name = QString::fromStdString(item.key());
        const bool trains = prefixes.isEmpty() || std::any_of(prefixes.begin(), prefixes.end(),
                                                              [&](const QString &p) { return name.startsWith(p); });
        item.value().set_requires_grad(trains);
        total += item.value().numel();
        learning += trains ? item.value().numel() : 0;
    }
    const SrNetworkSpec &spec = m_module->network;
    const QString parentData = m_module->manifest.trainingData.value(QStringLiteral("sha256")).toString().left(12);
    context.log(
        QStringLiteral("fine-tuning %1 (%2 blocks × %3 filters, ×%4, its data sha256 %5...): freeze %6, %7 of %8 "
                       "parameters learn; the band normalisation is %9")
            .arg(named(*m_module))
            .arg(spec.blocks)
            .arg(spec.filters)
            .arg(spec.scale)
            .arg(parentData, m_freeze)
            .arg(learning)
            .arg(total)
            .arg(keepsNormalization() ? QStringLiteral("the parent's") : QStringLiteral("refitted on the rasters")));
    return success();
}

void SrParent::record(ModuleManifest &manifest) const
{
    if (!m_module)
        return;
    const QString id = named(*m_module);
    manifest.parent = id;
    QJsonObject hyper = manifest.hyperParameters;
    hyper.insert(QStringLiteral("parent"), id);
    hyper.insert(QStringLiteral("freeze"), m_freeze);
    hyper.insert(QStringLiteral("parent-normalization"),
                 m_keepNormalization ? QStringLiteral("keep") : QStringLiteral("refit"));
    hyper.insert(QStringLiteral("blocks"), m_module->network.blocks);
    hyper.insert(QStringLiteral("filters"), m_module->network.filters);
    manifest.hyperParameters = hyper;
    manifest.extra.insert(
        QStringLiteral("initialization"),
        QJsonObject{{QStringLiteral("kind"), QStringLiteral("module")},
                    {QStringLiteral("module"), id},
                    {QStringLiteral("weights_sha256"), m_module->manifest.weights.sha256},
                    {QStringLiteral("data_sha256"), m_module->manifest.trainingData.value(QStringLiteral("sha256"))},
                    {QStringLiteral("normalization"),
                     m_keepNormalization ? QStringLiteral("parent") : QStringLiteral("refit")}});
    manifest.summary += QStringLiteral(", fine-tuned from %1 (freeze %2)").arg(id, m_freeze);
}

}  // namespace dw::superres
