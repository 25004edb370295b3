#include "core/weights/pretrained_weights.h"

#include <QDebug>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace dw::weights {

namespace {

const QString kBaseUrl = QStringLiteral("https://download.pytorch.org/models/");
const QString kRecipes = QStringLiteral("https://github.com/pytorch/vision/tree/main/references/classification");
const QString kNewRecipe = QStringLiteral("https://github.com/pytorch/vision/issues/3995#new-recipe");
const QString kTorchvisionTeam =
    QStringLiteral("torchvision (BSD-3-Clause), trained on ImageNet-1k by the PyTorch team");

struct Row {
    const char *architecture;
    const char *torchvisionName;
    const char *variant;
    bool isDefault;
    const char *fileName;
    qint64 sizeBytes;
    double sizeMiB;
    const char *sha256;
    double top1, top5;
    qint64 parameters;
    int resizeSize;
    const char *interpolation;
    QString source;
    QString recipe;
};

std::vector<PretrainedWeights> build()
{
    const QString timm =
        QStringLiteral("ported by torchvision from Ross Wightman's timm (Apache-2.0), trained on ImageNet-1k");
    // clang-format off
    const Row rows[] = {
        {"resnet18", "resnet18", "IMAGENET1K_V1", true, "resnet18-f37072fd.pth", 46830571, 44.661,
         "f37072fd47e89c5e827621c5baffa7500819f7896bbacec160b1a16c560e07ec", 69.758, 89.078, 11689512,
         256, "bilinear", kTorchvisionTeam, kRecipes + QStringLiteral("#resnet")},
        {"resnet34", "resnet34", "IMAGENET1K_V1", true, "resnet34-b627a593.pth", 87319819, 83.275,
         "b627a593bcbe140c234610266fe4f8ae95ea42fc881d091c9b6052e6b1d0590f", 73.314, 91.42, 21797672,
         256, "bilinear", kTorchvisionTeam, kRecipes + QStringLiteral("#resnet")},
        {"resnet50", "resnet50", "IMAGENET1K_V2", true, "resnet50-11ad3fa6.pth", 0, 97.79,
         "11ad3fa62ca79e40addfd354a8ec4b7c75143b3038b8d2a807fbc68deab379ca", 80.858, 95.434, 25557032,
         232, "bilinear", kTorchvisionTeam, kNewRecipe},
        {"resnet50", "resnet50", "IMAGENET1K_V1", false, "resnet50-0676ba61.pth", 102530333, 97.781,
         "0676ba61b6795bbe1773cffd859882e5e297624d384b6993f7c9e683e722fb8a", 76.13, 92.862, 25557032,
         256, "bilinear", kTorchvisionTeam, kRecipes + QStringLiteral("#resnet")},
        {"mobilenetv2", "mobilenet_v2", "IMAGENET1K_V2", true, "mobilenet_v2-7ebf99e0.pth", 14258573, 13.598,
         "7ebf99e03e254b273379b23edca7ec0da9f48273b23a332b93c1c99d49e86e8f", 72.154, 90.822, 3504872,
         232, "bilinear", kTorchvisionTeam, kNewRecipe},
        {"mobilenetv2", "mobilenet_v2", "IMAGENET1K_V1", false, "mobilenet_v2-b0353104.pth", 0, 13.555,
         "", 71.878, 90.286, 3504872,
         256, "bilinear", kTorchvisionTeam, kRecipes + QStringLiteral("#mobilenetv2")},
        {"efficientnet_b0", "efficientnet_b0", "IMAGENET1K_V1", true, "efficientnet_b0_rwightman-7f5810bc.pth", 21444401, 20.451,
         "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934", 77.692, 93.532, 5288548,
         256, "bicubic", timm, kRecipes + QStringLiteral("#efficientnet-v1")},
        {"convnext_tiny", "convnext_tiny", "IMAGENET1K_V1", true, "convnext_tiny-983f1562.pth", 0, 109.119,
         "", 82.52, 96.146, 28589128,
         236, "bilinear", kTorchvisionTeam, kRecipes + QStringLiteral("#convnext")},
    };
    // clang-format on
    std::vector<PretrainedWeights> list;
    for (const Row &row : rows) {
        PretrainedWeights w;
        w.architecture = QString::fromLatin1(row.architecture);
        w.torchvisionName = QString::fromLatin1(row.torchvisionName);
        w.variant = QString::fromLatin1(row.variant);
        w.isDefault = row.isDefault;
        w.fileName = QString::fromLatin1(row.fileName);
        w.officialUrl = kBaseUrl + w.fileName;
        w.sizeBytes = row.sizeBytes;
        w.sizeMiB = row.sizeMiB;
        w.sha256 = QString::fromLatin1(row.sha256);
        w.top1 = row.top1;
        w.top5 = row.top5;
        w.parameters = row.parameters;
        w.inputSize = 224;
        w.resizeSize = row.resizeSize;
        w.interpolation = QString::fromLatin1(row.interpolation);
        w.licence = row.source + QStringLiteral(". ") + termsNote();
        w.recipe = row.recipe;
        list.push_back(std::move(w));
    }
    return list;
}

QJsonArray toArray(const std::array<double, 3> &values)
{
    return QJsonArray{values[0], values[1], values[2]};
}

bool readTriple(const QJsonValue &value, std::array<double, 3> &into)
{
    if (value.isUndefined())
        return true;
    const QJsonArray array = value.toArray();
    if (array.size() != 3)
        return false;
    for (int i = 0; i < 3; ++i) {
        if (!array.at(i).isDouble())
            return false;
        into[size_t(i)] = array.at(i).toDouble();
    }
    return true;
}

// The site's own entries named by $DEEPWB_EXTRA_WEIGHTS; a bad file or entry is reported and skipped.
void appendExtraEntries(std::vector<PretrainedWeights> &list)
{
    const QString path = qEnvironmentVariable("DEEPWB_EXTRA_WEIGHTS");
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning().noquote()
            << QStringLiteral("DEEPWB_EXTRA_WEIGHTS: cannot read %1: %2").arg(path, file.errorString());
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (!document.isArray()) {
        qWarning().noquote() << QStringLiteral("DEEPWB_EXTRA_WEIGHTS: %1 is not a JSON array of weights (%2)")
                                    .arg(path, error.error == QJsonParseError::NoError ? QStringLiteral("not an array")
                                                                                       : error.errorString());
        return;
    }
    for (const QJsonValue &value : document.array()) {
        Result<PretrainedWeights> entry = PretrainedWeights::fromJson(value.toObject());
        if (!entry) {
            qWarning().noquote() << QStringLiteral("DEEPWB_EXTRA_WEIGHTS: %1: %2").arg(path, entry.error().text());
            continue;
        }
        bool known = false;
        for (const PretrainedWeights &w : list)
            known = known || w.fileName == entry->fileName;
        if (!known)
            list.push_back(std::move(entry).value());
    }
}

}  // namespace

QString termsNote()
{
    return QStringLiteral("Pre-trained weights may carry terms of the data they were trained on "
                          "(ImageNet: non-commercial research and education); check they fit your use.");
}

QString hashPrefixOf(const QString &fileName)
{
    // torchvision (torch.hub): HASH_REGEX = re.compile(r'-([a-f0-9]*)\.'), first match.
    static const QRegularExpression hashRegex(QStringLiteral("-([a-f0-9]*)\\."));
    const QRegularExpressionMatch match = hashRegex.match(fileName);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString PretrainedWeights::hashPrefix() const
{
    return hashPrefixOf(fileName);
}

QJsonObject PretrainedWeights::toJson() const
{
    return QJsonObject{
        {QStringLiteral("architecture"), architecture},
        {QStringLiteral("torchvision_name"), torchvisionName},
        {QStringLiteral("variant"), variant},
        {QStringLiteral("default"), isDefault},
        {QStringLiteral("file"), fileName},
        {QStringLiteral("url"), officialUrl},
        {QStringLiteral("size_bytes"), sizeBytes},
        {QStringLiteral("size_mib"), sizeMiB},
        {QStringLiteral("sha256"), sha256},
        {QStringLiteral("hash_prefix"), hashPrefix()},
        {QStringLiteral("top1"), top1},
        {QStringLiteral("top5"), top5},
        {QStringLiteral("parameters"), parameters},
        {QStringLiteral("input_size"), inputSize},
        {QStringLiteral("resize_size"), resizeSize},
        {QStringLiteral("interpolation"), interpolation},
        {QStringLiteral("mean"), toArray(mean)},
        {QStringLiteral("std"), toArray(std)},
        {QStringLiteral("licence"), licence},
        {QStringLiteral("recipe"), recipe},
    };
}

Result<PretrainedWeights> PretrainedWeights::fromJson(const QJsonObject &object)
{
    PretrainedWeights w;
    w.architecture = object.value(QStringLiteral("architecture")).toString().trimmed().toLower();
    w.variant = object.value(QStringLiteral("variant")).toString().trimmed();
    w.fileName = object.value(QStringLiteral("file")).toString().trimmed();
    const QString name = w.fileName.isEmpty() ? QStringLiteral("an entry") : w.fileName;
    if (w.architecture.isEmpty() || w.variant.isEmpty() || w.fileName.isEmpty())
        return failure(QStringLiteral("%1 lacks \"architecture\", \"variant\" or \"file\"").arg(name));
    if (w.fileName.contains(QLatin1Char('/')) || w.fileName.contains(QLatin1Char('\\')) ||
        w.fileName.startsWith(QLatin1Char('.')))
        return failure(QStringLiteral("\"file\" must be a plain file name, not \"%1\"").arg(w.fileName));
    w.torchvisionName = object.value(QStringLiteral("torchvision_name")).toString(w.architecture);
    w.isDefault = object.value(QStringLiteral("default")).toBool(false);
    w.officialUrl = object.value(QStringLiteral("url")).toString(kBaseUrl + w.fileName);
    w.sizeBytes = object.value(QStringLiteral("size_bytes")).toInteger(0);
    w.sizeMiB = object.value(QStringLiteral("size_mib")).toDouble(w.sizeBytes / (1024.0 * 1024.0));
    w.sha256 = object.value(QStringLiteral("sha256")).toString().trimmed().toLower();
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    if (!w.sha256.isEmpty() && !hex64.match(w.sha256).hasMatch())
        return failure(QStringLiteral("%1: \"sha256\" must be 64 hex digits").arg(name));
    if (!w.sha256.isEmpty() && !w.sha256.startsWith(w.hashPrefix()))
        return failure(
            QStringLiteral("%1: \"sha256\" does not start with the name's hash prefix %2").arg(name, w.hashPrefix()));
    w.top1 = object.value(QStringLiteral("top1")).toDouble(0);
    w.top5 = object.value(QStringLiteral("top5")).toDouble(0);
    w.parameters = object.value(QStringLiteral("parameters")).toInteger(0);
    w.inputSize = object.value(QStringLiteral("input_size")).toInt(224);
    w.resizeSize = object.value(QStringLiteral("resize_size")).toInt(256);
    w.interpolation = object.value(QStringLiteral("interpolation")).toString(QStringLiteral("bilinear"));
    if (!readTriple(object.value(QStringLiteral("mean")), w.mean) ||
        !readTriple(object.value(QStringLiteral("std")), w.std))
        return failure(QStringLiteral("%1: \"mean\" and \"std\" must be three numbers each").arg(name));
    w.licence = object.value(QStringLiteral("licence")).toString();
    w.recipe = object.value(QStringLiteral("recipe")).toString();
    return w;
}

const std::vector<PretrainedWeights> &registry()
{
    static const std::vector<PretrainedWeights> list = [] {
        std::vector<PretrainedWeights> entries = build();
        appendExtraEntries(entries);
        return entries;
    }();
    return list;
}

namespace {

const PretrainedWeights *defaultIn(const std::vector<PretrainedWeights> &list, const QString &architecture)
{
    const PretrainedWeights *only = nullptr;
    int count = 0;
    for (const PretrainedWeights &w : list) {
        if (w.architecture != architecture && w.torchvisionName != architecture)
            continue;
        if (w.isDefault)
            return &w;
        only = &w;
        ++count;
    }
    // An architecture with one entry and no default flag (a test's file) is its own default.
    return count == 1 ? only : nullptr;
}

const PretrainedWeights *byFileNameIn(const std::vector<PretrainedWeights> &list, const QString &fileName)
{
    for (const PretrainedWeights &w : list)
        if (w.fileName == fileName)
            return &w;
    return nullptr;
}

}  // namespace

const PretrainedWeights *defaultFor(const QString &architecture)
{
    for (const PretrainedWeights &w : registry())
        if (w.isDefault && (w.architecture == architecture || w.torchvisionName == architecture))
            return &w;
    return nullptr;
}

const PretrainedWeights *byFileName(const QString &fileName)
{
    return byFileNameIn(registry(), fileName);
}

const PretrainedWeights *find(const QString &key)
{
    return findIn(registry(), key);
}

const PretrainedWeights *findIn(const std::vector<PretrainedWeights> &list, const QString &key)
{
    const QString trimmed = key.trimmed();
    if (trimmed.isEmpty())
        return nullptr;
    if (trimmed.contains(QLatin1Char('/')) || trimmed.endsWith(QLatin1String(".pth")))
        return byFileNameIn(list, QFileInfo(trimmed).fileName());
    const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        if (const PretrainedWeights *w = defaultIn(list, trimmed.toLower()))
            return w;
        return byFileNameIn(list, trimmed);
    }
    const QString architecture = trimmed.left(colon).toLower();
    const QString variant = trimmed.mid(colon + 1);
    if (variant.compare(QLatin1String("DEFAULT"), Qt::CaseInsensitive) == 0)
        return defaultIn(list, architecture);
    for (const PretrainedWeights &w : list)
        if ((w.architecture == architecture || w.torchvisionName == architecture) &&
            w.variant.compare(variant, Qt::CaseInsensitive) == 0)
            return &w;
    return nullptr;
}

QStringList architectures()
{
    QStringList names;
    for (const PretrainedWeights &w : registry())
        if (!names.contains(w.architecture))
            names << w.architecture;
    return names;
}

QStringList fileNames()
{
    QStringList names;
    for (const PretrainedWeights &w : registry())
        names << w.fileName;
    return names;
}

}  // namespace dw::weights
