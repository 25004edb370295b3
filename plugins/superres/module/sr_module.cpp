#include "plugins/superres/module/sr_module.h"

#include "core/catalog/trained_module.h"

#include <QJsonArray>

#include <algorithm>

namespace dw::superres {

QString SrModule::weightsPath() const
{
    return trainedWeightsPath(directory, manifest);
}

std::vector<float> SrModule::guideFill() const
{
    std::vector<float> fill;
    for (int g = 0; g < guideNormalization.bands(); ++g)
        fill.push_back(float(guideNormalization.offset(g)));
    return fill;
}

Result<SrModule> readSrModule(const QString &moduleDir)
{
    Result<TrainedModuleFolder> folder =
        readTrainedModule(moduleDir, superResolutionTask(), QStringLiteral("super-resolution"));
    if (!folder)
        return folder.error();
    SrModule module;
    module.directory = folder->directory;
    module.manifest = folder->manifest;
    const QString &name = folder->name;
    const QJsonObject inputs = module.manifest.inputs;
    module.scripted = module.manifest.architecture == QStringLiteral("torchscript");
    module.onnx = module.manifest.architecture == QStringLiteral("onnx");
    module.overlap = std::max(0, inputs.value(QStringLiteral("overlap")).toInt(0));
    QJsonObject networkJson = inputs.value(QStringLiteral("network")).toObject();
    if (module.scripted)  // only the band count and the scale describe a scripted network
        networkJson = QJsonObject{{QStringLiteral("bands"), inputs.value(QStringLiteral("band_count"))},
                                  {QStringLiteral("scale"), inputs.value(QStringLiteral("scale"))},
                                  {QStringLiteral("blocks"), 1},
                                  {QStringLiteral("filters"), 1}};
    Result<SrNetworkSpec> network = SrNetworkSpec::fromJson(networkJson);
    if (!network)
        return failure(
            QStringLiteral("the module %1 has an unusable inputs.network: %2").arg(name, network.error().message),
            QStringLiteral("module"));
    module.network = network.value();
    const int scale = inputs.value(QStringLiteral("scale")).toInt(module.network.scale);
    const int bandCount = inputs.value(QStringLiteral("band_count")).toInt(module.network.bands);
    if (scale != module.network.scale || bandCount != module.network.bands)
        return failure(
            QStringLiteral("the module %1 says scale %2 and %3 band(s) but its network was built for scale %4 and %5")
                .arg(name)
                .arg(scale)
                .arg(bandCount)
                .arg(module.network.scale)
                .arg(module.network.bands),
            QStringLiteral("module"));
    for (const QJsonValue &band : inputs.value(QStringLiteral("bands")).toArray())
        module.bandNames << band.toString();
    if (module.bandNames.isEmpty())
        for (int b = 1; b <= module.network.bands; ++b)
            module.bandNames << QStringLiteral("band %1").arg(b);
    if (module.bandNames.size() != module.network.bands)
        return failure(QStringLiteral("the module %1 names %2 band(s) but its network reads %3")
                           .arg(name)
                           .arg(module.bandNames.size())
                           .arg(module.network.bands),
                       QStringLiteral("module"));
    Result<BandNormalization> normalization =
        BandNormalization::fromJson(inputs.value(QStringLiteral("normalization")).toObject());
    if (!normalization)
        return failure(QStringLiteral("the module %1 has an unusable inputs.normalization: %2")
                           .arg(name, normalization.error().message),
                       QStringLiteral("module"));
    if (normalization->bands() != module.network.bands)
        return failure(QStringLiteral("the module %1 normalises %2 band(s) but its network reads %3")
                           .arg(name)
                           .arg(normalization->bands())
                           .arg(module.network.bands),
                       QStringLiteral("module"));
    module.normalization = std::move(normalization).value();
    module.patchSize = inputs.value(QStringLiteral("patch_size")).toInt(module.patchSize);
    if (module.guided()) {
        const QJsonObject guide = inputs.value(QStringLiteral("guide")).toObject();
        Result<BandNormalization> guideNormalization =
            BandNormalization::fromJson(guide.value(QStringLiteral("normalization")).toObject());
        if (!guideNormalization || guideNormalization->bands() != module.guideBands())
            return failure(
                QStringLiteral("the module %1 is guided by %2 band(s) but its inputs.guide.normalization is %3")
                    .arg(name)
                    .arg(module.guideBands())
                    .arg(guideNormalization ? QStringLiteral("for %1 band(s)").arg(guideNormalization->bands())
                                            : QStringLiteral("unusable: ") + guideNormalization.error().message),
                QStringLiteral("module"));
        module.guideNormalization = std::move(guideNormalization).value();
        for (const QJsonValue &band : guide.value(QStringLiteral("bands")).toArray())
            module.guideBandNames << band.toString();
        if (module.guideBandNames.size() != module.guideBands()) {
            module.guideBandNames.clear();
            for (int b = 1; b <= module.guideBands(); ++b)
                module.guideBandNames << QStringLiteral("guide band %1").arg(b);
        }
    }
    return module;
}

Result<void> writeSrModule(SrModule module)
{
    ModuleManifest &m = module.manifest;
    m.task = superResolutionTask();
    m.architecture = module.scripted ? QStringLiteral("torchscript")
                     : module.onnx   ? QStringLiteral("onnx")
                                     : QStringLiteral("dsen2");
    m.weights.format = module.scripted ? QStringLiteral("torchscript")
                       : module.onnx   ? QStringLiteral("onnx")
                                       : QStringLiteral("torch-state-dict");
    QJsonObject inputs = m.inputs;  // keeps what the caller added (e.g. provenance)
    inputs.insert(QStringLiteral("bands"), QJsonArray::fromStringList(module.bandNames));
    inputs.insert(QStringLiteral("band_count"), module.network.bands);
    inputs.insert(QStringLiteral("scale"), module.network.scale);
    if (module.scripted)
        inputs.remove(QStringLiteral("network"));
    else
        inputs.insert(QStringLiteral("network"), module.network.toJson());
    if (module.overlap > 0)
        inputs.insert(QStringLiteral("overlap"), module.overlap);
    inputs.insert(QStringLiteral("normalization"), module.normalization.toJson());
    inputs.insert(QStringLiteral("patch_size"), module.patchSize);
    if (module.guided())
        inputs.insert(QStringLiteral("guide"),
                      QJsonObject{{QStringLiteral("bands"), QJsonArray::fromStringList(module.guideBandNames)},
                                  {QStringLiteral("band_count"), module.guideBands()},
                                  {QStringLiteral("normalization"), module.guideNormalization.toJson()}});
    else
        inputs.remove(QStringLiteral("guide"));
    m.inputs = inputs;
    m.labels = module.bandNames;
    return writeTrainedModule(m, module.directory);
}

}  // namespace dw::superres
