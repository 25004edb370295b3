#pragma once
// A family of trained modules for the lineage, compare and run-history suites, added to a
// TestCatalog: a base classifier re-trained into two children with different
// hyper-parameters and data, one grandchild, an orphan whose parent is gone and two modules
// whose parents form a loop. Each trained module has a history.json (with a named per-epoch
// metric) and an evaluation.json with per-class F1.
#include "gui_test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace dw::test {

struct LineageFamily {
    static QString base() { return QStringLiteral("leaf-base"); }
    static QString childA() { return QStringLiteral("leaf-child-a"); }
    static QString childB() { return QStringLiteral("leaf-child-b"); }
    static QString grandchild() { return QStringLiteral("leaf-grandchild"); }
    static QString orphan() { return QStringLiteral("leaf-orphan"); }
    static QString loopA() { return QStringLiteral("loop-a"); }
    static QString loopB() { return QStringLiteral("loop-b"); }
    // "leaf-child-a" -> "Leaf child-a"
    static QString titleOf(const QString &id)
    {
        QString title = id;
        title[0] = title.at(0).toUpper();
        return title.replace(title.indexOf(QLatin1Char('-')), 1, QLatin1Char(' '));
    }
    static QStringList classes() { return {QStringLiteral("healthy"), QStringLiteral("rust"), QStringLiteral("scab")}; }

    // Writes the family into catalog; returns the module folders by id.
    static QHash<QString, QString> addTo(const TestCatalog &catalog)
    {
        QHash<QString, QString> folders;
        const auto add = [&](const QString &id, const QString &parent, const QJsonObject &hyper,
                             const QJsonObject &data, double speed, double top1) {
            QJsonObject manifest{{"id", id},
                                 {"version", "1.0.0"},
                                 {"title", titleOf(id)},
                                 {"summary", QStringLiteral("Leaf diseases, %1.").arg(id)},
                                 {"task", "image-classification"},
                                 {"architecture", "resnet18"},
                                 {"labels", QJsonArray::fromStringList(classes())},
                                 {"metrics", QJsonObject{{"val_top1", top1}, {"test_top1", top1 - 0.02}}},
                                 {"hyper-parameters", hyper},
                                 {"training_data", data},
                                 {"created_with", "deep-workbench test"}};
            if (!parent.isEmpty())
                manifest.insert("parent", parent);
            const QString folder = catalog.addModule(manifest, true);
            folders.insert(id, folder);
            if (speed > 0) {
                writeJson(QDir(folder).filePath("history.json"), history(speed));
                writeJson(QDir(folder).filePath("evaluation.json"), evaluation(top1));
            }
        };
        const QJsonObject data{
            {"images", 1200}, {"source", "PlantVillage leaves"}, {"per_class", QJsonObject{{"healthy", 400}}}};
        QJsonObject dataB = data;
        dataB.insert("images", 1800);
        add(base(), {}, {{"lr", 0.01}, {"epochs", 8}, {"batch_size", 32}}, data, 0.25, 0.81);
        add(childA(), base(),
            {{"lr", 0.001}, {"epochs", 12}, {"batch_size", 32}, {"augmentation", QJsonObject{{"flip", true}}}}, data,
            0.35, 0.88);
        add(childB(), base(),
            {{"lr", 0.0005}, {"epochs", 12}, {"batch_size", 64}, {"augmentation", QJsonObject{{"flip", true}}}}, dataB,
            0.45, 0.91);
        add(grandchild(), childA(), {{"lr", 0.0001}, {"epochs", 6}, {"batch_size", 32}}, data, 0.55, 0.9);
        add(orphan(), QStringLiteral("leaf-ancestor-gone"), {}, {}, 0, 0.7);
        add(loopA(), loopB(), {}, {}, 0, 0.5);
        add(loopB(), loopA(), {}, {}, 0, 0.5);
        return folders;
    }

    // Losses falling at a module's own speed; accuracies rising; every figure also in the
    // record's "metrics" list, as the trainers write it, with one more: "val_f1".
    static QJsonObject history(double speed)
    {
        QJsonArray epochs;
        for (int epoch = 1; epoch <= 8; ++epoch) {
            const double val = 1.6 * std::exp(-speed * epoch) + 0.15;
            const double accuracy = 1.0 - 0.6 * std::exp(-speed * epoch);
            epochs.append(QJsonObject{
                {"epoch", epoch},
                {"train_loss", val - 0.08},
                {"val_loss", val},
                {"train_accuracy", accuracy + 0.02},
                {"val_accuracy", accuracy},
                {"lr", 0.001},
                {"seconds", 12.5},
                {"skipped", 0},
                {"metrics",
                 QJsonArray{metric("train_loss", val - 0.08, false), metric("val_loss", val, false),
                            metric("train_accuracy", accuracy + 0.02, true), metric("val_accuracy", accuracy, true),
                            metric("val_f1", accuracy - 0.03, true)}}});
        }
        return QJsonObject{{"epochs", epochs}, {"best_epoch", 8}, {"stopped", "completed"}};
    }

    static QJsonObject metric(const char *name, double value, bool higherIsBetter)
    {
        return QJsonObject{{"name", name}, {"value", value}, {"higher_is_better", higherIsBetter}};
    }

    static QJsonObject evaluation(double top1)
    {
        QJsonArray perClass;
        int i = 0;
        for (const QString &name : classes())
            perClass.append(QJsonObject{
                {"class", name}, {"precision", top1}, {"recall", top1}, {"f1", top1 - 0.05 * i++}, {"support", 40}});
        return QJsonObject{{"samples", 120}, {"top1", top1}, {"per_class", perClass}};
    }

    static bool writeJson(const QString &path, const QJsonObject &json)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) > 0;
    }
};

}  // namespace dw::test
