#pragma once
// The ImageNet-1k weights torchvision publishes for the architectures the workbench builds:
// where each file lives, its SHA-256, its size, how well it does and how images must be
// prepared for it. The facts come from torchvision's model builders and a published list
// of the files' digests; a file's name carries the first hex digits of its SHA-256, which
// is what torchvision itself checks after a download.
//
// A site adds its own files (backbones fine-tuned in-house, on a shared disk or mirror) with
// a JSON file named by $DEEPWB_EXTRA_WEIGHTS: an array of objects in toJson()'s form, of
// which "architecture", "variant" and "file" are required; they follow the built-in entries.
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace dw::weights {

struct PretrainedWeights {
    QString architecture;       // ours: "resnet18", "mobilenetv2", "efficientnet_b0", ...
    QString torchvisionName;    // "mobilenet_v2"
    QString variant;            // "IMAGENET1K_V1"
    bool isDefault = false;     // torchvision's DEFAULT for that architecture
    QString fileName;           // "resnet18-f37072fd.pth"
    QString officialUrl;        // https://download.pytorch.org/models/<fileName>
    qint64 sizeBytes = 0;       // 0: not known exactly
    double sizeMiB = 0;         // torchvision's _file_size
    QString sha256;             // full digest when known, else empty
    double top1 = 0, top5 = 0;  // ImageNet-1k, %
    qint64 parameters = 0;
    int inputSize = 224, resizeSize = 256;
    QString interpolation;  // "bilinear", "bicubic"
    std::array<double, 3> mean{0.485, 0.456, 0.406}, std{0.229, 0.224, 0.225};
    QString licence, recipe;

    // torchvision's check: the regex "-([a-f0-9]*)\." on the file name ("f37072fd"); empty
    // when the name carries none.
    QString hashPrefix() const;
    // "resnet18:IMAGENET1K_V1"
    QString key() const { return architecture + QLatin1Char(':') + variant; }
    // The size for people: exact when known, else torchvision's figure.
    double sizeInMiB() const { return sizeBytes > 0 ? double(sizeBytes) / (1024.0 * 1024.0) : sizeMiB; }
    QJsonObject toJson() const;
    // toJson()'s form back; "architecture", "variant" and "file" are required, "url" defaults
    // to torchvision's server, "sha256" when given must be 64 hex digits that start with the
    // file name's hash prefix.
    static Result<PretrainedWeights> fromJson(const QJsonObject &object);
};

// Every entry: the built-in ones, then those of $DEEPWB_EXTRA_WEIGHTS (read once).
const std::vector<PretrainedWeights> &registry();
// torchvision's DEFAULT weights for one of our architectures; nullptr: none (e.g. smallcnn).
const PretrainedWeights *defaultFor(const QString &architecture);
const PretrainedWeights *byFileName(const QString &fileName);
// ARCH, ARCH:VARIANT (variant "DEFAULT" allowed, case-insensitive; torchvision's name
// "mobilenet_v2" works as ARCH too), or a file name (a path is reduced to its file name).
const PretrainedWeights *find(const QString &key);
// find() over another list (a site's own entries, the tests' files).
const PretrainedWeights *findIn(const std::vector<PretrainedWeights> &list, const QString &key);

// The architectures that have pretrained weights ("resnet18", ...), in registry order.
QStringList architectures();
// The file names of all entries, for "expected one of" messages.
QStringList fileNames();
// torchvision's note on the terms of pretrained weights (part of every entry's licence).
QString termsNote();
// The hash prefix torchvision reads from a file name (see PretrainedWeights::hashPrefix).
QString hashPrefixOf(const QString &fileName);

}  // namespace dw::weights
