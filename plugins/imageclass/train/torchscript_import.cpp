#include "plugins/imageclass/train/torchscript_import.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/module_staging.h"
#include "plugins/imageclass/models/network_loader.h"
#include "plugins/imageclass/models/torchscript_classifier.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

#include <array>

namespace dw::imageclass {

using namespace Qt::StringLiterals;

namespace {
constexpr std::array<double, 3> kImageNetMean{0.485, 0.456, 0.406};
constexpr std::array<double, 3> kImageNetStd{0.229, 0.224, 0.225};
constexpr qint64 kMaxLabelsBytes = 8 * 1024 * 1024;
}  // namespace

Result<QStringList> readLabelsFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return failure(u"cannot read the labels file %1: %2"_s.arg(path, file.errorString()), u"labels"_s);
    if (file.size() > kMaxLabelsBytes)
        return failure(
            u"%1 is %2 bytes: a labels file has one class name per line; is it the right file?"_s.arg(path).arg(
                file.size()),
            u"labels"_s);
    QStringList labels;
    QSet<QString> seen;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString label = QString::fromUtf8(file.readLine()).trimmed();
        if (label.isEmpty())
            continue;
        if (seen.contains(label))
            return failure(
                u"%1, line %2: the class \"%3\" is listed twice; each output of the model needs its own name"_s
                    .arg(path)
                    .arg(lineNumber)
                    .arg(label),
                u"labels"_s);
        seen.insert(label);
        labels << label;
    }
    if (labels.size() < 2)
        return failure(u"%1 lists %2 class name(s); a classifier needs at least 2, one per line in the order of the "
                       "model's outputs"_s.arg(path)
                           .arg(labels.size()),
                       u"labels"_s);
    return labels;
}

Result<std::pair<std::vector<double>, std::vector<double>>> parseNormalization(const QString &text, int channels)
{
    const QString value = text.trimmed().toLower();
    std::vector<double> mean, stddev;
    if (value == u"none"_s || value.isEmpty())
        return std::pair{mean, stddev};
    if (value == u"imagenet"_s) {
        if (channels == 3)
            return std::pair{std::vector<double>(kImageNetMean.begin(), kImageNetMean.end()),
                             std::vector<double>(kImageNetStd.begin(), kImageNetStd.end())};
        return failure(
            u"the ImageNet normalisation is for 3-channel (RGB) images, this model takes %1 channel(s): give "
            "MEAN,STD (the same for every channel) or none"_s.arg(channels),
            u"normalization"_s);
    }
    const QStringList parts = value.split(u',', Qt::SkipEmptyParts);
    std::vector<double> numbers;
    for (const QString &part : parts) {
        bool ok = false;
        numbers.push_back(part.trimmed().toDouble(&ok));
        if (!ok)
            return failure(
                u"\"%1\" is not a number; give imagenet, none, MEAN,STD or one mean then one std per channel"_s.arg(
                    part),
                u"normalization"_s);
    }
    if (numbers.size() == 2) {
        mean.assign(size_t(channels), numbers[0]);
        stddev.assign(size_t(channels), numbers[1]);
    } else if (numbers.size() == size_t(2 * channels)) {
        mean.assign(numbers.begin(), numbers.begin() + channels);
        stddev.assign(numbers.begin() + channels, numbers.end());
    } else {
        return failure(
            u"%1 numbers given; give MEAN,STD or %2 means followed by %2 standard deviations"_s.arg(numbers.size())
                .arg(channels),
            u"normalization"_s);
    }
    for (double s : stddev)
        if (!(s > 0))
            return failure(u"a standard deviation of %1 would divide by zero: it must be greater than 0"_s.arg(s),
                           u"normalization"_s);
    return std::pair{mean, stddev};
}

Result<QJsonObject> importTorchScriptClassifier(const TorchScriptImport &request, JobContext &context)
{
    if (!QFileInfo(request.modelPath).isFile())
        return failure(u"the model file %1 does not exist"_s.arg(request.modelPath), u"model"_s);
    Result<QStringList> labels = readLabelsFile(request.labelsPath);
    if (!labels)
        return labels.error();
    if (request.channels < 1 || request.channels > 1024)
        return failure(u"%1 channels is not possible: give 1 (grey) to 1024, usually 3 (RGB)"_s.arg(request.channels),
                       u"channels"_s);
    if (request.inputSize < 8 || request.inputSize > 4096)
        return failure(
            u"an input size of %1 px is not possible: give 8 to 4096, usually what the model was trained at (224)"_s
                .arg(request.inputSize),
            u"input-size"_s);
    auto normalization = parseNormalization(request.normalization, request.channels);
    if (!normalization)
        return normalization.error();
    // Written beside its final place, so that a failure leaves nothing in the catalog.
    auto staging = ModuleStaging::begin(request.moduleDir);
    if (!staging)
        return staging.error();
    context.setProgress(0.1, u"copying the model"_s);
    const QString modelCopy = (*staging)->filePath(u"model.pt"_s);
    if (!QFile::copy(request.modelPath, modelCopy))
        return failure(u"cannot copy %1 into the catalog (is the disk full?)"_s.arg(request.modelPath), u"output"_s);

    context.setProgress(0.3, u"checking the model on a test batch"_s);
    ModelSpec spec{kTorchScriptArchitecture, request.channels, labels->size(), request.inputSize};
    std::string error;
    std::shared_ptr<ClassifierImpl> network = loadNetwork(spec, modelCopy.toStdString(), &error);
    if (!network)
        return failure(u"%1: %2"_s.arg(QFileInfo(request.modelPath).fileName(), QString::fromStdString(error)),
                       u"model"_s);
    const auto *script = dynamic_cast<TorchScriptClassifierImpl *>(network.get());
    const QString saliency = script && script->hasFeatureMap()
                                 ? u"Grad-CAM (%1)"_s.arg(QString::fromStdString(script->splitDescription()))
                                 : u"input gradients (no feature map found)"_s;
    context.log(u"the model returns %1 scores as expected; heat maps: %2"_s.arg(labels->size()).arg(saliency));

    ClassifierModule module;
    module.directory = (*staging)->path();
    module.architecture = torchScriptArchitecture();
    module.channels = request.channels;
    module.height = module.width = request.inputSize;
    module.mean = normalization->first;
    module.std = normalization->second;
    module.labels = *labels;
    ModuleManifest &m = module.manifest;
    m.id = request.moduleId;
    m.title = request.title.isEmpty() ? request.moduleId : request.title;
    m.summary = u"TorchScript image classifier for %1 classes, imported from %2"_s.arg(labels->size())
                    .arg(QFileInfo(request.modelPath).fileName());
    m.keywords = {u"image classification"_s, u"torchscript"_s, u"imported"_s};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.weights.file = u"model.pt"_s;
    Result<QString> originalHash = sha256OfFile(request.modelPath);
    m.extra.insert(u"imported_from"_s, QJsonObject{{u"file"_s, QFileInfo(request.modelPath).absoluteFilePath()},
                                                   {u"sha256"_s, originalHash ? *originalHash : QString()},
                                                   {u"labels"_s, QFileInfo(request.labelsPath).absoluteFilePath()},
                                                   {u"saliency"_s, saliency}});
    context.setProgress(0.8, u"writing the module"_s);
    if (Result<void> written = writeClassifierModule(module); !written)
        return written.error();
    if (Result<void> moved = (*staging)->commit(); !moved)
        return moved.error();
    context.setProgress(1.0, u"imported"_s);
    return QJsonObject{{u"module"_s, (*staging)->target()},
                       {u"id"_s, m.id},
                       {u"task"_s, imageClassificationTask()},
                       {u"architecture"_s, module.architecture},
                       {u"labels"_s, QJsonArray::fromStringList(*labels)},
                       {u"input_size"_s, request.inputSize},
                       {u"channels"_s, request.channels},
                       {u"saliency"_s, saliency}};
}

}  // namespace dw::imageclass
