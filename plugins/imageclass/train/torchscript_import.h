#pragma once
// A TorchScript image classifier brought from PyTorch becomes a catalog module: the archive
// is checked on a probe batch (it must take the declared channels and size and return one
// score per label), then copied with a module.json (architecture "torchscript", its labels,
// input size and normalisation). The folder appears complete under its final name or not at
// all: it is written beside it and renamed at the end.
#include "core/jobs/job_context.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

struct TorchScriptImport {
    QString modelPath;    // the .pt archive (torch.jit.save)
    QString labelsPath;   // one class name per line, in the order of the model's outputs
    int inputSize = 224;  // the square side the model takes
    int channels = 3;
    QString normalization = QStringLiteral("imagenet");  // imagenet | none | MEAN,STD | M1,..,Mc,S1,..,Sc
    QString moduleDir;                                   // where the module goes (must not exist)
    QString moduleId, title;
};

// The class names of a labels file: one per line, blank lines and surrounding spaces
// ignored; at least two, no duplicates.
Result<QStringList> readLabelsFile(const QString &path);
// mean and std per channel for --normalization; empty vectors for "none".
Result<std::pair<std::vector<double>, std::vector<double>>> parseNormalization(const QString &text, int channels);

// Checks and writes the module; the result JSON names the module, its labels and how its
// heat maps are made (Grad-CAM on the found feature map, or input gradients).
Result<QJsonObject> importTorchScriptClassifier(const TorchScriptImport &request, JobContext &context);

}  // namespace dw::imageclass
