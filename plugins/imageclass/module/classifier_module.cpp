#include "plugins/imageclass/module/classifier_module.h"

#include "core/onnx/onnx_module_import.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/weights_digest.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <optional>

namespace dw::imageclass {
namespace {

// The largest side a network is built for (createModel's limit); anything larger in a
// manifest is a typo, and catching it here gives a message about the manifest.
constexpr int kMaxSide = 4096;
constexpr int kMaxChannels = 1024;

QString moduleName(const ModuleManifest &manifest, const QString &dir)
{
    return manifest.id.isEmpty() ? QDir(dir).dirName() : manifest.id;
}

// A JSON number that is a whole number in [low, high]; nullopt otherwise.
std::optional<int> wholeNumber(const QJsonValue &value, int low, int high)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != std::floor(d) || d < low || d > high)
        return std::nullopt;
    return static_cast<int>(d);
}

Result<std::vector<double>> numberList(const QJsonValue &value, const QString &field, int channels, bool positive)
{
    if (!value.isArray())
        return failure(QStringLiteral("must be a list of %1 numbers, one per channel").arg(channels), field);
    const QJsonArray array = value.toArray();
    if (array.size() != channels)
        return failure(QStringLiteral("has %1 values but the module takes %2 channels; give one value per channel")
                           .arg(array.size())
                           .arg(channels),
                       field);
    std::vector<double> out;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue v = array.at(i);
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return failure(QStringLiteral("value %1 is not a number").arg(i), field);
        if (positive && v.toDouble() <= 0)
            return failure(
                QStringLiteral("value %1 is %2; a standard deviation must be greater than 0").arg(i).arg(v.toDouble()),
                field);
        out.push_back(v.toDouble());
    }
    return out;
}

// inputs {"channels": C, "size": [H, W], "normalisation": {"mean": [...], "std": [...]}}
Result<void> readInputs(const QJsonObject &inputs, ClassifierModule &module)
{
    const auto channels = wholeNumber(inputs.value(QStringLiteral("channels")), 1, kMaxChannels);
    if (!channels)
        return failure(QStringLiteral("must be the number of image channels the network takes (1 for grey, 3 for RGB), "
                                      "between 1 and %1")
                           .arg(kMaxChannels),
                       QStringLiteral("inputs.channels"));
    module.channels = *channels;

    const QJsonValue size = inputs.value(QStringLiteral("size"));
    const QString sizeHelp =
        QStringLiteral("must be [height, width] in pixels, each between 1 and %1, e.g. [224, 224]").arg(kMaxSide);
    if (size.isDouble()) {  // a single side: a square input
        const auto side = wholeNumber(size, 1, kMaxSide);
        if (!side)
            return failure(sizeHelp, QStringLiteral("inputs.size"));
        module.height = module.width = *side;
    } else {
        const QJsonArray sides = size.toArray();
        const auto height = sides.size() == 2 ? wholeNumber(sides.at(0), 1, kMaxSide) : std::nullopt;
        const auto width = sides.size() == 2 ? wholeNumber(sides.at(1), 1, kMaxSide) : std::nullopt;
        if (!height || !width)
            return failure(sizeHelp, QStringLiteral("inputs.size"));
        module.height = *height;
        module.width = *width;
    }

    // Both spellings: the manifest schema says "normalisation", some tools write "normalization".
    QString key = QStringLiteral("normalisation");
    if (!inputs.contains(key) && inputs.contains(QStringLiteral("normalization")))
        key = QStringLiteral("normalization");
    module.mean.clear();
    module.std.clear();
    const QJsonValue norm = inputs.value(key);
    if (norm.isUndefined() || norm.isNull())
        return success();
    if (!norm.isObject())
        return failure(
            QStringLiteral("must be an object {\"mean\": [...], \"std\": [...]}, or be left out for inputs in [0, 1]"),
            QStringLiteral("inputs.") + key);
    const QJsonObject object = norm.toObject();
    if (object.isEmpty())
        return success();
    Result<std::vector<double>> mean = numberList(object.value(QStringLiteral("mean")),
                                                  QStringLiteral("inputs.%1.mean").arg(key), module.channels, false);
    if (!mean)
        return mean.error();
    Result<std::vector<double>> stddev = numberList(object.value(QStringLiteral("std")),
                                                    QStringLiteral("inputs.%1.std").arg(key), module.channels, true);
    if (!stddev)
        return stddev.error();
    module.mean = std::move(mean).value();
    module.std = std::move(stddev).value();
    return success();
}

Result<void> checkArchitecture(const QString &architecture)
{
    if (architecture.isEmpty())
        return failure(QStringLiteral("missing: name the network, one of %1")
                           .arg(classifierArchitectures().join(QStringLiteral(", "))),
                       QStringLiteral("architecture"));
    if (!classifierArchitectures().contains(architecture) && architecture != torchScriptArchitecture() &&
        architecture != onnxArchitecture())
        return failure(QStringLiteral("unknown architecture \"%1\"; this version of the workbench builds %2")
                           .arg(architecture, classifierArchitectures().join(QStringLiteral(", "))),
                       QStringLiteral("architecture"));
    return success();
}

Result<void> checkLabels(const QStringList &labels)
{
    if (labels.size() < 2)
        return failure(
            QStringLiteral("a classifier needs at least 2 class names, in the order of the network's outputs; "
                           "this module lists %1")
                .arg(labels.size()),
            QStringLiteral("labels"));
    return success();
}

Error inModule(const Error &error, const QString &name)
{
    return failure(QStringLiteral("module %1: %2").arg(name, error.message), error.field);
}

}  // namespace

const QStringList &classifierArchitectures()
{
    static const QStringList list{QStringLiteral("smallcnn"),     QStringLiteral("resnet18"),
                                  QStringLiteral("resnet34"),     QStringLiteral("resnet50"),
                                  QStringLiteral("mobilenetv2"),  QStringLiteral("efficientnet_b0"),
                                  QStringLiteral("convnext_tiny")};
    return list;
}

QString weightsFormatFor(const QString &architecture)
{
    if (architecture == onnxArchitecture())
        return QStringLiteral("onnx");
    return architecture == torchScriptArchitecture() ? QStringLiteral("torchscript")
                                                     : QStringLiteral("torch-state-dict");
}

QString ClassifierModule::weightsPath() const
{
    const QString file = manifest.weights.file.isEmpty() ? QStringLiteral("weights.pt") : manifest.weights.file;
    return QDir(directory).absoluteFilePath(file);
}

QJsonObject classifierInputsJson(const ClassifierModule &module)
{
    QJsonObject inputs = module.manifest.inputs;
    inputs.remove(QStringLiteral("normalization"));
    inputs.insert(QStringLiteral("channels"), module.channels);
    inputs.insert(QStringLiteral("size"), QJsonArray{module.height, module.width});
    if (module.mean.empty()) {
        inputs.remove(QStringLiteral("normalisation"));
    } else {
        QJsonArray mean, stddev;
        for (double m : module.mean)
            mean.append(m);
        for (double s : module.std)
            stddev.append(s);
        inputs.insert(QStringLiteral("normalisation"),
                      QJsonObject{{QStringLiteral("mean"), mean}, {QStringLiteral("std"), stddev}});
    }
    return inputs;
}

Result<ClassifierModule> readClassifierModule(const QString &moduleDir)
{
    const QFileInfo dirInfo(moduleDir);
    if (moduleDir.isEmpty() || !dirInfo.isDir())
        return failure(
            QStringLiteral("%1 is not a module folder; give the folder of a trained classifier or its catalog id")
                .arg(moduleDir.isEmpty() ? QStringLiteral("(empty path)") : moduleDir));

    ClassifierModule module;
    module.directory = dirInfo.absoluteFilePath();
    const ManifestReadResult read = readManifest(module.directory);
    module.manifest = read.manifest;
    const QString name = moduleName(read.manifest, module.directory);

    // The most telling problems first: a template or another task's module makes any
    // field-level complaint beside the point.
    for (const ValidationProblem &problem : read.problems)
        if (problem.field == manifestFileName())
            return failure(problem.message, problem.field);
    if (read.manifest.task != imageClassificationTask() && !read.manifest.task.isEmpty())
        return failure(
            QStringLiteral("module %1 is a %2 module, not an image classifier; choose an image-classification module")
                .arg(name, read.manifest.task),
            QStringLiteral("task"));
    if (read.manifest.isTemplate())
        return failure(
            QStringLiteral(
                "module %1 is a template: train it first (deepwb train image-classification ... --name NAME) "
                "and use the trained module")
                .arg(name),
            QStringLiteral("weights"));
    // A missing weights file is not a damaged manifest: say what it is.
    for (const ValidationProblem &problem : read.problems)
        if (problem.field == QStringLiteral("weights.file"))
            return failure(QStringLiteral("module %1: %2").arg(name, problem.message), problem.field);
    if (!read.isValid()) {
        QStringList lines;
        for (const ValidationProblem &problem : read.problems)
            lines << problem.text();
        return failure(
            QStringLiteral("module %1 has a damaged module.json: %2").arg(name, lines.join(QStringLiteral("; "))),
            read.problems.first().field);
    }

    module.architecture = read.manifest.architecture;
    if (Result<void> ok = checkArchitecture(module.architecture); !ok)
        return inModule(ok.error(), name);
    if (Result<void> ok = readInputs(read.manifest.inputs, module); !ok)
        return inModule(ok.error(), name);
    module.labels = read.manifest.labels;
    if (Result<void> ok = checkLabels(module.labels); !ok)
        return inModule(ok.error(), name);
    const QString format = weightsFormatFor(module.architecture);
    if (read.manifest.weights.format != format)
        return failure(QStringLiteral("module %1: weights in format \"%2\" cannot be loaded into a %3 classifier; "
                                      "it needs \"%4\"")
                           .arg(name, read.manifest.weights.format, module.architecture, format),
                       QStringLiteral("weights.format"));
    // readManifest already refuses a missing file; kept so that this function alone is the check.
    if (!QFileInfo(module.weightsPath()).isFile())
        return failure(QStringLiteral("module %1: the weights file %2 is missing; copy it back into the module folder "
                                      "or train the module again")
                           .arg(name, module.weightsPath()),
                       QStringLiteral("weights.file"));
    if (Result<void> digest = checkWeightsDigest(module.manifest, module.directory); !digest)
        return inModule(digest.error(), name);
    return module;
}

Result<void> writeClassifierModule(ClassifierModule module)
{
    if (module.directory.isEmpty())
        return failure(QStringLiteral("no module folder given; choose where the trained module goes"));
    const QString name = moduleName(module.manifest, module.directory);
    if (Result<void> ok = checkArchitecture(module.architecture); !ok)
        return inModule(ok.error(), name);
    if (Result<void> ok = checkLabels(module.labels); !ok)
        return inModule(ok.error(), name);
    if (module.channels < 1 || module.channels > kMaxChannels || module.height < 1 || module.height > kMaxSide ||
        module.width < 1 || module.width > kMaxSide)
        return failure(
            QStringLiteral(
                "module %1: inputs of %2 channels at %3×%4 px cannot be described; channels 1..%5, sides 1..%6")
                .arg(name)
                .arg(module.channels)
                .arg(module.height)
                .arg(module.width)
                .arg(kMaxChannels)
                .arg(kMaxSide),
            QStringLiteral("inputs"));
    if (module.mean.size() != module.std.size() ||
        (!module.mean.empty() && module.mean.size() != static_cast<size_t>(module.channels)))
        return failure(QStringLiteral("module %1: normalisation needs one mean and one std per channel (%2), or none")
                           .arg(name)
                           .arg(module.channels),
                       QStringLiteral("inputs.normalisation"));
    for (double s : module.std)
        if (!(s > 0))
            return failure(
                QStringLiteral("module %1: a standard deviation of %2 would divide by zero; it must be greater than 0")
                    .arg(name)
                    .arg(s),
                QStringLiteral("inputs.normalisation.std"));

    ModuleManifest &m = module.manifest;
    m.task = imageClassificationTask();
    m.architecture = module.architecture;
    m.inputs = classifierInputsJson(module);
    m.labels = module.labels;
    if (m.weights.file.isEmpty())
        m.weights.file = module.architecture == torchScriptArchitecture() ? QStringLiteral("model.pt")
                         : module.architecture == onnxArchitecture()      ? QStringLiteral("model.onnx")
                                                                          : QStringLiteral("weights.pt");
    m.weights.format = weightsFormatFor(module.architecture);
    if (m.createdWith.isEmpty())
        m.createdWith = QStringLiteral("deep-workbench 0.1.0");
    if (!QFileInfo(module.weightsPath()).isFile())
        return failure(
            QStringLiteral(
                "module %1: the weights file %2 does not exist; save the weights before writing the manifest")
                .arg(name, module.weightsPath()),
            QStringLiteral("weights.file"));
    Result<QString> hash = sha256OfFile(module.weightsPath());
    if (!hash)
        return inModule(hash.error(), name);
    m.weights.sha256 = hash.value();

    const QList<ValidationProblem> problems = validateManifest(m);
    if (!problems.isEmpty()) {
        QStringList lines;
        for (const ValidationProblem &problem : problems)
            lines << problem.text();
        return failure(QStringLiteral("module %1 cannot be written: %2").arg(name, lines.join(QStringLiteral("; "))),
                       problems.first().field);
    }
    return writeManifest(m, module.directory);
}

}  // namespace dw::imageclass
