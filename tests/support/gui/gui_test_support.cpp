#include "gui_test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>

namespace dw::test {

namespace {

QJsonArray strings(std::initializer_list<const char *> values)
{
    QJsonArray array;
    for (const char *value : values)
        array.append(QString::fromUtf8(value));
    return array;
}

}  // namespace

TestCatalog::TestCatalog() : m_previousCatalog(qgetenv("DEEPWB_CATALOG"))
{
    qputenv("DEEPWB_CATALOG", m_dir.path().toUtf8());
    // The shipped demo modules stay out, so that what a suite counts is its own modules and the
    // templates (builtInCount()); the start-page suite brings them back (unsets the variable).
    qputenv("DEEPWB_DEMO_MODULES", QByteArray());

    addModule(
        QJsonObject{
            {"id", planktonId()},
            {"version", "2.1.0"},
            {"title", planktonTitle()},
            {"summary", "Sorts plankton micrographs into 12 taxa."},
            {"description", "# Plankton classifier\n\nA ResNet-18 re-trained on *ZooScan* images.\n\n"
                            "* 12 taxa\n* trained on 30,000 images"},
            {"keywords", strings({"image classification", "plankton", "marine biology", "cnn"})},
            {"license", "MIT"},
            {"date_creation", "2025-03-14"},
            {"authors", strings({"Ana Oceanographer", "Bo Microscopist"})},
            {"sources", strings({"https://example.org/plankton/code"})},
            {"dataset_url", "https://example.org/plankton/data"},
            {"cite_url", "https://doi.org/10.0000/plankton"},
            {"task", "image-classification"},
            {"architecture", "resnet18"},
            {"labels", strings({"copepod", "diatom", "radiolarian", "chaetognath", "appendicularian", "ostracod",
                                "pteropod", "medusa", "salp", "egg", "detritus", "other"})},
            {"metrics", QJsonObject{{"top1_accuracy", 0.9312}, {"top5_accuracy", 0.9951}, {"macro_f1", 0.9044}}},
            {"parent", "image-classifier"},
            {"training_data", QJsonObject{{"images", 30000}, {"source", "ZooScan 2024 campaign"}}},
            {"created_with", "deep-workbench 0.1.0"},
        },
        true);
    addModule(QJsonObject{
        {"id", riverId()},
        {"version", "1.0.0"},
        {"title", riverTitle()},
        {"summary", "Forecasts daily river discharge a week ahead."},
        {"description", "Daily discharge of the Nile at Aswan, with an alert band."},
        {"keywords", strings({"time series", "hydrology", "lstm"})},
        {"license", "CC-BY-4.0"},
        {"task", "time-series"},
        {"architecture", "gru"},
        {"created_with", "deep-workbench 0.1.0"},
    });
    // Broken on purpose: an unknown task and a date that is not a date.
    addModule(QJsonObject{
        {"id", brokenId()},
        {"title", brokenTitle()},
        {"summary", "A manifest with mistakes in it."},
        {"task", "protein-folding"},
        {"date_creation", "last tuesday"},
        {"keywords", strings({"broken"})},
    });
}

TestCatalog::~TestCatalog()
{
    qunsetenv("DEEPWB_DEMO_MODULES");
    if (m_previousCatalog.isEmpty())
        qunsetenv("DEEPWB_CATALOG");
    else
        qputenv("DEEPWB_CATALOG", m_previousCatalog);
}

QString TestCatalog::addModule(const QJsonObject &manifest, bool withWeights) const
{
    const QString folder = QDir(m_dir.path()).filePath(manifest.value(QStringLiteral("id")).toString());
    QDir().mkpath(folder);
    QJsonObject json = manifest;
    if (withWeights) {
        const QByteArray weights(4096, 'w');
        QFile file(QDir(folder).filePath(QStringLiteral("weights.pt")));
        if (file.open(QIODevice::WriteOnly))
            file.write(weights);
        json.insert(
            QStringLiteral("weights"),
            QJsonObject{{"file", "weights.pt"},
                        {"format", "torch-state-dict"},
                        {"sha256",
                         QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex())}});
    }
    QFile file(QDir(folder).filePath(QStringLiteral("module.json")));
    if (file.open(QIODevice::WriteOnly))
        file.write(QJsonDocument(json).toJson());
    return folder;
}

QString TestCatalog::scratch(const QString &name) const
{
    return QDir(m_scratch.path()).filePath(name);
}

void isolateSettings(const QString &folder)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
}

}  // namespace dw::test
