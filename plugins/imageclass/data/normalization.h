#pragma once
// Per-channel mean and standard deviation subtracted from and divided into the model's
// input (intensities in [0, 1]); computed from the training data or given.
#include "core/util/result.h"

#include <QJsonObject>

#include <vector>

namespace dw::imageclass {

struct Normalization {
    std::vector<float> mean;
    std::vector<float> std;

    bool isSet() const { return !mean.empty() && mean.size() == std.size(); }
    int channels() const { return static_cast<int>(mean.size()); }

    static Normalization identity(int channels);  // mean 0, std 1
    static Normalization imagenet();              // torchvision's RGB statistics

    QJsonObject toJson() const;  // {"mean": [...], "std": [...]}
    static Result<Normalization> fromJson(const QJsonObject &json);
};

}  // namespace dw::imageclass
