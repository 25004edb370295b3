#pragma once
// The shape of a DSen2-style super-resolution network (see dsen2_network.h): how many bands
// it reads and writes, its depth and width, and the scale its training data was made for.
// Stored as inputs.network in module.json. No LibTorch here.
#include "core/util/result.h"

#include <QJsonObject>

namespace dw::superres {

struct SrNetworkSpec {
    int bands = 0;       // channels super-resolved: read (upsampled) and written (≥ 1)
    int guideBands = 0;  // channels of a finer raster that guide them (0: none; see dsen2_network.h)
    int blocks = 6;      // residual blocks (≥ 1)
    int filters = 128;   // channels inside the network (≥ 1)
    int scale = 2;       // integer upscaling factor (≥ 2); enters only through the data

    bool guided() const { return guideBands > 0; }

    // {"bands", "blocks", "filters", "scale"[, "guide_bands" when guided]}
    QJsonObject toJson() const;
    // Checks ranges; messages name the field and the allowed range.
    static Result<SrNetworkSpec> fromJson(const QJsonObject &json);
    // Empty when the fields make sense, else what is wrong.
    QString problem() const;

    friend bool operator==(const SrNetworkSpec &, const SrNetworkSpec &) = default;
};

}  // namespace dw::superres
