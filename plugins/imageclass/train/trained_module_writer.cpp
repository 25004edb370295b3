#include "plugins/imageclass/train/trained_module_writer.h"

#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/models/torchscript_classifier.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace dw::imageclass {

QString TrainedModuleWriter::idFromFolder(const QString &folder)
{
    QString id = QFileInfo(QDir::cleanPath(folder)).fileName().toLower();
    id.replace(QRegularExpression(QStringLiteral("[^a-z0-9._-]+")), QStringLiteral("-"));
    while (!id.isEmpty() && !id.front().isLetterOrNumber())
        id.remove(0, 1);
    return id.isEmpty() ? QStringLiteral("image-classifier") : id.left(64);
}

Result<void> TrainedModuleWriter::write(const TrainedModule &trained)
{
    const TrainRequest &request = *trained.request;
    const QString directory = QDir(request.moduleDir).absolutePath();
    if (!QDir().mkpath(directory))
        return failure(
            QStringLiteral("cannot create the module folder %1: check the path and permissions").arg(directory),
            QStringLiteral("output"));

    // A TorchScript model stays one: the script is written back with its fine-tuned weights.
    const auto *script = dynamic_cast<const TorchScriptClassifierImpl *>(trained.model);
    const QString weights =
        QDir(directory).filePath(script ? QStringLiteral("model.pt") : QStringLiteral("weights.pt"));
    std::string error;
    if (!(script ? script->saveScript(weights.toStdString(), &error)
                 : saveStateDict(*trained.model, weights.toStdString(), &error)))
        return failure(QStringLiteral("cannot write the weights %1: %2").arg(weights, QString::fromStdString(error)),
                       QStringLiteral("output"));
    if (Result<void> saved = trained.history.save(QDir(directory).filePath(QStringLiteral("history.json"))); !saved)
        return saved.error();

    ClassifierModule module;
    module.directory = directory;
    module.architecture = QString::fromStdString(trained.model->architecture());
    module.channels = trained.channels;
    module.height = module.width = trained.imageSize;
    // Stored as float: written with a float's digits, so that ImageNet's 0.485 stays 0.485.
    auto decimal = [](float value) { return QString::number(double(value), 'g', 7).toDouble(); };
    for (float m : trained.normalization.mean)
        module.mean.push_back(decimal(m));
    for (float s : trained.normalization.std)
        module.std.push_back(decimal(s));
    module.labels = trained.data->classes();

    ModuleManifest &m = module.manifest;
    m.id = request.moduleId.isEmpty() ? idFromFolder(directory) : request.moduleId;
    m.title = request.title.isEmpty() ? m.id : request.title;
    m.summary =
        QStringLiteral("%1 image classifier for %2 classes (%3), trained on %4 images%5")
            .arg(module.architecture)
            .arg(module.labels.size())
            .arg(module.labels.mid(0, 5).join(QStringLiteral(", ")) +
                 (module.labels.size() > 5 ? QStringLiteral(", ...") : QString()))
            .arg(trained.data->train.size())
            .arg(trained.parentId.isEmpty() ? QString() : QStringLiteral(", re-trained from %1").arg(trained.parentId));
    m.keywords = {QStringLiteral("image classification"), module.architecture};
    if (trained.initialization.value(QStringLiteral("kind")).toString() == QStringLiteral("imagenet"))
        m.keywords << QStringLiteral("imagenet-pretrained");
    m.weights.file = QFileInfo(weights).fileName();
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    QJsonObject hyper = hyperParametersJson(request);
    hyper.insert(QStringLiteral("arch"), module.architecture);
    hyper.insert(QStringLiteral("image-size"), trained.imageSize);
    hyper.insert(QStringLiteral("channels"), trained.channels);
    if (!trained.parentId.isEmpty()) {
        hyper.insert(QStringLiteral("parent"), trained.parentId);
        hyper.remove(QStringLiteral("init"));
    }
    hyper.insert(QStringLiteral("freeze"), trained.freeze);
    if (!trained.precision.isEmpty())
        hyper.insert(QStringLiteral("precision"), trained.precision);
    if (!trained.initialization.isEmpty())
        m.extra.insert(QStringLiteral("initialization"), trained.initialization);
    m.hyperParameters = hyper;
    m.metrics = trained.metrics;
    m.parent = trained.parentId;
    m.trainingData = trained.data->provenance();
    m.datasetUrl.clear();
    return writeClassifierModule(module);
}

}  // namespace dw::imageclass
