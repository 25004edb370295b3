#include "plugins/imageclass/train/pretrained_start.h"

#include "core/catalog/manifest_io.h"
#include "core/weights/pretrained_weights.h"
#include "core/weights/weight_cache.h"
#include "core/weights/weight_download.h"
#include "plugins/imageclass/models/state_dict.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace dw::imageclass {

using namespace Qt::StringLiterals;

namespace {

// The ImageNet statistics for the network's channel count: as they are for RGB, their
// average for grey images (whose first convolution sums the RGB filters), repeated otherwise.
void imageNetNormalization(const weights::PretrainedWeights &entry, int channels, PretrainedStart &start)
{
    start.mean.clear();
    start.std.clear();
    double meanOfMeans = 0, meanOfStds = 0;
    for (int c = 0; c < 3; ++c) {
        meanOfMeans += entry.mean[size_t(c)] / 3.0;
        meanOfStds += entry.std[size_t(c)] / 3.0;
    }
    for (int c = 0; c < channels; ++c) {
        start.mean.push_back(channels == 3 ? entry.mean[size_t(c)] : meanOfMeans);
        start.std.push_back(channels == 3 ? entry.std[size_t(c)] : meanOfStds);
    }
}

QJsonObject recordOf(const weights::PretrainedWeights &entry, const QString &path)
{
    const QString recorded = weights::WeightCache().recordedSha256(entry.fileName);
    QString sha256 = recorded;
    if (sha256.isEmpty()) {
        const Result<QString> computed = sha256OfFile(path);
        sha256 = computed ? *computed : QString();
    }
    return {{u"kind"_s, u"imagenet"_s},      {u"architecture"_s, entry.torchvisionName},
            {u"variant"_s, entry.variant},   {u"file"_s, entry.fileName},
            {u"url"_s, entry.officialUrl},   {u"sha256"_s, sha256},
            {u"imagenet_top1"_s, entry.top1}};
}

Result<PretrainedStart> imageNetStart(const weights::PretrainedWeights &entry, const QString &path, int channels)
{
    PretrainedStart start;
    start.kind = u"imagenet"_s;
    start.weightsPath = path;
    imageNetNormalization(entry, channels, start);
    start.record = recordOf(entry, path);
    return start;
}

}  // namespace

Result<PretrainedStart> resolvePretrainedStart(const QString &init, const QString &architecture, int channels,
                                               JobContext &context)
{
    const QString value = init.trimmed().isEmpty() ? u"auto"_s : init.trimmed();
    PretrainedStart random;
    random.record = QJsonObject{{u"kind"_s, u"random"_s}};
    if (value == u"random"_s)
        return random;

    if (value == u"auto"_s || value == u"imagenet"_s) {
        const weights::PretrainedWeights *entry = weights::defaultFor(architecture);
        if (!entry) {
            if (value == u"imagenet"_s)
                return failure(
                    u"there are no ImageNet weights for %1; choose an architecture that has them (see 'deepwb "
                    "weights list') or --init random"_s.arg(architecture),
                    u"init"_s);
            context.log(u"%1 has no pretrained weights: starting from random weights"_s.arg(architecture));
            return random;
        }
        Result<QString> path = weights::fetchWeights(*entry, context);
        if (!path) {
            if (value == u"imagenet"_s || context.isCancelled())
                return Error::at(u"init"_s, path.error().message);
            context.log(u"warning: starting %1 from random weights, as the ImageNet weights could not be had: %2"_s.arg(
                architecture, path.error().message));
            return random;
        }
        context.log(u"starting from torchvision's ImageNet weights %1 (%2, ImageNet top-1 %3 %)"_s
                        .arg(entry->fileName, entry->variant)
                        .arg(entry->top1, 0, 'f', 2));
        return imageNetStart(*entry, *path, channels);
    }

    const QFileInfo file(value);
    if (!file.isFile())
        return failure(
            u"--init %1: no such file. Give auto, imagenet, random, a weights file (.pth) or a trained module "
            "of the catalog"_s.arg(value),
            u"init"_s);
    // A torchvision file fetched by hand is ImageNet weights whatever folder it sits in.
    if (const weights::PretrainedWeights *entry = weights::byFileName(file.fileName());
        entry && entry->architecture == architecture) {
        context.log(
            u"starting from %1: torchvision's ImageNet weights for %2"_s.arg(file.absoluteFilePath(), architecture));
        return imageNetStart(*entry, file.absoluteFilePath(), channels);
    }
    PretrainedStart start;
    start.kind = u"file"_s;
    start.weightsPath = file.absoluteFilePath();
    const Result<QString> sha256 = sha256OfFile(start.weightsPath);
    start.record = QJsonObject{
        {u"kind"_s, u"file"_s}, {u"file"_s, start.weightsPath}, {u"sha256"_s, sha256 ? *sha256 : QString()}};
    context.log(u"starting from the weights in %1 (normalisation from the data)"_s.arg(start.weightsPath));
    return start;
}

Result<void> loadBackbone(ClassifierImpl &model, const QString &path)
{
    std::string error;
    std::optional<NamedTensors> entries = readStateDict(path.toStdString(), &error);
    if (!entries)
        return failure(QString::fromStdString(error), u"init"_s);
    const NamedTensors own = stateDict(model);
    // The stem: the first convolution's weight; the head: the last 2-D weight of the head.
    std::string stem, headLayer;
    const std::string headPrefix = model.headName() + ".";
    for (const auto &[name, tensor] : own) {
        if (stem.empty() && tensor.dim() == 4)
            stem = name;
        if (name.rfind(headPrefix, 0) == 0 && tensor.dim() == 2)
            headLayer = name.substr(0, name.size() - std::string("weight").size());
    }
    const int64_t channels = model.inChannels();
    for (auto &[name, tensor] : *entries) {
        if (name != stem || tensor.dim() != 4 || tensor.size(1) == channels)
            continue;
        torch::NoGradGuard noGrad;
        const int64_t source = tensor.size(1);
        if (channels == 1) {
            tensor = tensor.sum(1, /*keepdim=*/true);
        } else {
            const int64_t repeats = (channels + source - 1) / source;
            tensor = tensor.repeat({1, repeats, 1, 1}).narrow(1, 0, channels) * (double(source) / double(channels));
        }
    }
    LoadOptions options;
    options.strict = true;
    if (!headLayer.empty())
        options.skipPrefixes = {headLayer};
    if (!applyStateDict(model, *entries, &error, options))
        return failure(
            u"the weights in %1 are not for this network (every layer but the classifier must fit): %2"_s.arg(
                path, QString::fromStdString(error).replace(u'\n', u"; "_s)),
            u"init"_s);
    return success();
}

}  // namespace dw::imageclass
