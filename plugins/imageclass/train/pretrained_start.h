#pragma once
// Where a new classifier's weights start when it has no parent module (train --init):
//   random    LibTorch's initialisation, as torchvision does it;
//   imagenet  torchvision's ImageNet-1k weights for the architecture (core/weights: taken from
//             the cache, downloaded into it when missing), with the ImageNet normalisation;
//   auto      imagenet when the architecture has weights and they are cached or can be
//             fetched, else random — the reason goes to the log (the CLI's stderr);
//   FILE      a weights file: a torchvision .pth or any state dict of the same architecture.
// A pretrained backbone gets a new head for the data's classes; its first convolution is
// adapted to the data's channel count (summed over RGB for grey images, repeated and scaled
// for more channels), as timm does.
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/imageclass/models/classifier.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace dw::imageclass {

struct PretrainedStart {
    QString kind = QStringLiteral("random");  // random | imagenet | file
    QString weightsPath;                      // imagenet and file: the state dict to load
    std::vector<double> mean, std;            // the normalisation the weights expect; empty: from the data
    QJsonObject record;                       // module.json "initialization": kind, file, url, sha256, ...
    bool pretrained() const { return kind != QStringLiteral("random"); }
};

// init: "auto", "random", "imagenet" or a file path (see above); channels: what the network
// will take. An explicit "imagenet" that cannot be had is an error that names the URL and
// how to import a file fetched by hand.
Result<PretrainedStart> resolvePretrainedStart(const QString &init, const QString &architecture, int channels,
                                               JobContext &context);

// Loads the backbone of a state dict into a freshly built model: every tensor but the last
// linear layer of the head must fit (the message says what does not: weights of another
// architecture), the first convolution is adapted to the model's input channels.
Result<void> loadBackbone(ClassifierImpl &model, const QString &path);

}  // namespace dw::imageclass
