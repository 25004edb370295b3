// The registry of torchvision's ImageNet weights: consistent digests and names, one default
// per architecture, look-ups, and the JSON form (also how a site adds its own files).
#include "core/weights/pretrained_weights.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace dw::weights;

class TestPretrainedWeights : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registryIsConsistent()
    {
        QCOMPARE(int(registry().size()), 8);
        static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
        QSet<QString> files;
        for (const PretrainedWeights &w : registry()) {
            const QByteArray name = w.fileName.toUtf8();
            QVERIFY2(!files.contains(w.fileName), name.constData());
            files.insert(w.fileName);
            QCOMPARE(w.hashPrefix().size(), 8);
            if (!w.sha256.isEmpty()) {
                QVERIFY2(hex64.match(w.sha256).hasMatch(), name.constData());
                QVERIFY2(w.sha256.startsWith(w.hashPrefix()), name.constData());
            }
            QCOMPARE(w.officialUrl, QStringLiteral("https://download.pytorch.org/models/") + w.fileName);
            QVERIFY2(w.fileName.startsWith(w.torchvisionName), name.constData());
            QVERIFY2(w.top1 > 60 && w.top1 < w.top5 && w.top5 < 100, name.constData());
            QVERIFY2(w.parameters > 1000000, name.constData());
            if (w.sizeBytes > 0)  // torchvision's _file_size is the size in MiB, rounded
                QVERIFY2(std::abs(double(w.sizeBytes) / (1024.0 * 1024.0) - w.sizeMiB) < 0.001, name.constData());
            QVERIFY2(w.sizeMiB > 10, name.constData());
            QCOMPARE(w.inputSize, 224);
            QVERIFY2(w.resizeSize >= 224, name.constData());
            QVERIFY2(w.interpolation == QLatin1String("bilinear") || w.interpolation == QLatin1String("bicubic"),
                     name.constData());
            QCOMPARE(w.mean, (std::array<double, 3>{0.485, 0.456, 0.406}));
            QCOMPARE(w.std, (std::array<double, 3>{0.229, 0.224, 0.225}));
            QVERIFY2(w.licence.contains(QStringLiteral("ImageNet-1k")) && w.licence.contains(termsNote()),
                     name.constData());
            QVERIFY2(w.recipe.startsWith(QStringLiteral("https://github.com/pytorch/vision/")), name.constData());
            QCOMPARE(w.key(), w.architecture + QLatin1Char(':') + w.variant);
        }
    }

    void spotChecksAgainstTorchvision()
    {
        const PretrainedWeights *resnet18 = byFileName(QStringLiteral("resnet18-f37072fd.pth"));
        QVERIFY(resnet18);
        QCOMPARE(resnet18->sizeBytes, qint64(46830571));
        QCOMPARE(resnet18->sha256, QStringLiteral("f37072fd47e89c5e827621c5baffa7500819f7896bbacec160b1a16c560e07ec"));
        QCOMPARE(resnet18->parameters, qint64(11689512));
        const PretrainedWeights *efficientnet = defaultFor(QStringLiteral("efficientnet_b0"));
        QVERIFY(efficientnet);
        QCOMPARE(efficientnet->interpolation, QStringLiteral("bicubic"));
        QVERIFY(efficientnet->licence.contains(QStringLiteral("timm (Apache-2.0)")));
        const PretrainedWeights *convnext = defaultFor(QStringLiteral("convnext_tiny"));
        QVERIFY(convnext);
        QCOMPARE(convnext->resizeSize, 236);
        QVERIFY(convnext->sha256.isEmpty());
        QCOMPARE(convnext->sizeBytes, qint64(0));
        QCOMPARE(defaultFor(QStringLiteral("resnet50"))->resizeSize, 232);
        QCOMPARE(defaultFor(QStringLiteral("resnet50"))->recipe,
                 QStringLiteral("https://github.com/pytorch/vision/issues/3995#new-recipe"));
    }

    void oneDefaultPerArchitecture()
    {
        QCOMPARE(architectures(),
                 (QStringList{"resnet18", "resnet34", "resnet50", "mobilenetv2", "efficientnet_b0", "convnext_tiny"}));
        for (const QString &architecture : architectures()) {
            int defaults = 0;
            for (const PretrainedWeights &w : registry())
                defaults += w.architecture == architecture && w.isDefault;
            QVERIFY2(defaults == 1, qPrintable(architecture));
            QVERIFY(defaultFor(architecture));
            QCOMPARE(defaultFor(architecture)->architecture, architecture);
            QVERIFY(defaultFor(architecture)->isDefault);
        }
        QVERIFY(!defaultFor(QStringLiteral("smallcnn")));
        QCOMPARE(fileNames().size(), qsizetype(registry().size()));
    }

    void find_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("file");  // empty: none
        QTest::newRow("arch") << "resnet18"
                              << "resnet18-f37072fd.pth";
        QTest::newRow("arch, V2 default") << "resnet50"
                                          << "resnet50-11ad3fa6.pth";
        QTest::newRow("arch:variant") << "resnet50:IMAGENET1K_V1"
                                      << "resnet50-0676ba61.pth";
        QTest::newRow("variant, any case") << "resnet50:imagenet1k_v1"
                                           << "resnet50-0676ba61.pth";
        QTest::newRow("arch:DEFAULT") << "mobilenetv2:DEFAULT"
                                      << "mobilenet_v2-7ebf99e0.pth";
        QTest::newRow("torchvision name") << "mobilenet_v2"
                                          << "mobilenet_v2-7ebf99e0.pth";
        QTest::newRow("older variant") << "mobilenetv2:IMAGENET1K_V1"
                                       << "mobilenet_v2-b0353104.pth";
        QTest::newRow("file name") << "efficientnet_b0_rwightman-7f5810bc.pth"
                                   << "efficientnet_b0_rwightman-7f5810bc.pth";
        QTest::newRow("path") << "/tmp/downloads/convnext_tiny-983f1562.pth"
                              << "convnext_tiny-983f1562.pth";
        QTest::newRow("no weights") << "smallcnn"
                                    << "";
        QTest::newRow("unknown variant") << "resnet18:IMAGENET1K_V9"
                                         << "";
        QTest::newRow("unknown file") << "resnet18-00000000.pth"
                                      << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void find()
    {
        QFETCH(QString, key);
        QFETCH(QString, file);
        const PretrainedWeights *w = dw::weights::find(key);
        QCOMPARE(w ? w->fileName : QString(), file);
    }

    void hashPrefix_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("torchvision") << "resnet18-f37072fd.pth"
                                     << "f37072fd";
        QTest::newRow("underscores before") << "efficientnet_b0_rwightman-7f5810bc.pth"
                                            << "7f5810bc";
        QTest::newRow("short") << "tinynet-abc1.pth"
                               << "abc1";
        QTest::newRow("none") << "model.pth"
                              << "";
        QTest::newRow("upper case is no hash") << "model-ABCDEF12.pth"
                                               << "";
    }
    void hashPrefix()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, prefix);
        PretrainedWeights w;
        w.fileName = fileName;
        QCOMPARE(w.hashPrefix(), prefix);
        QCOMPARE(hashPrefixOf(fileName), prefix);
    }

    void jsonRoundTrip()
    {
        for (const PretrainedWeights &w : registry()) {
            const QJsonObject json = w.toJson();
            QCOMPARE(json.value(QStringLiteral("file")).toString(), w.fileName);
            QCOMPARE(json.value(QStringLiteral("hash_prefix")).toString(), w.hashPrefix());
            QCOMPARE(json.value(QStringLiteral("default")).toBool(), w.isDefault);
            QCOMPARE(json.value(QStringLiteral("mean")).toArray().size(), 3);
            const dw::Result<PretrainedWeights> back = PretrainedWeights::fromJson(json);
            QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().text()));
            QCOMPARE(back->toJson(), json);
        }
    }

    void fromJsonRefusesBadEntries_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::addColumn<QString>("message");
        const QJsonObject good{{"architecture", "tinynet"}, {"variant", "SITE_V1"}, {"file", "tinynet-0123abcd.pth"}};
        QTest::newRow("no file") << QJsonObject{{"architecture", "tinynet"}, {"variant", "SITE_V1"}} << "lacks";
        QJsonObject path = good;
        path["file"] = "../tinynet-0123abcd.pth";
        QTest::newRow("path as file") << path << "plain file name";
        QJsonObject shortDigest = good;
        shortDigest["sha256"] = "0123abcd";
        QTest::newRow("short digest") << shortDigest << "64 hex digits";
        QJsonObject otherDigest = good;
        otherDigest["sha256"] = QString(64, QLatin1Char('e'));
        QTest::newRow("digest against the name") << otherDigest << "hash prefix 0123abcd";
        QJsonObject mean = good;
        mean["mean"] = QJsonArray{0.5, 0.5};
        QTest::newRow("two means") << mean << "three numbers";
    }
    void fromJsonRefusesBadEntries()
    {
        QFETCH(QJsonObject, object);
        QFETCH(QString, message);
        const dw::Result<PretrainedWeights> w = PretrainedWeights::fromJson(object);
        QVERIFY(!w.ok());
        QVERIFY2(w.error().text().contains(message), qPrintable(w.error().text()));
    }

    void fromJsonFillsDefaults()
    {
        const dw::Result<PretrainedWeights> w =
            PretrainedWeights::fromJson(QJsonObject{{"architecture", "TinyNet"},
                                                    {"variant", "SITE_V1"},
                                                    {"file", "tinynet-0123abcd.pth"},
                                                    {"size_bytes", 2048}});
        QVERIFY(w.ok());
        QCOMPARE(w->architecture, QStringLiteral("tinynet"));
        QCOMPARE(w->officialUrl, QStringLiteral("https://download.pytorch.org/models/tinynet-0123abcd.pth"));
        QCOMPARE(w->hashPrefix(), QStringLiteral("0123abcd"));
        QCOMPARE(w->inputSize, 224);
        QCOMPARE(w->mean[0], 0.485);
        QCOMPARE(findIn({*w}, QStringLiteral("tinynet"))->fileName, w->fileName);  // a lone entry is its own default
    }
};

QTEST_GUILESS_MAIN(TestPretrainedWeights)
#include "test_pretrained_weights.moc"
