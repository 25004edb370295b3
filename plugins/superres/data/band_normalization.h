#pragma once
// Per-band normalisation of raster values for the super-resolution network: value ↦
// (value − offset) / scale, fitted on the valid pixels of the training rasters either as
// mean and standard deviation ("standard") or as the 2nd percentile and the 2nd-98th
// percentile range ("robust", less swayed by clouds, saturation and outliers). Stored in the
// module (inputs.normalization), applied before the network and undone after it. No LibTorch.
#include "core/io/raster_buffer.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace dw::superres {

class BandNormalization {
public:
    // "standard" | "robust"
    static bool isKnownMethod(const QString &method);

    // Fits one offset and scale per band over the valid pixels of every raster (all with the
    // same band count). A band without spread gets scale 1. An error when there is no valid
    // pixel or the band counts differ.
    static Result<BandNormalization> fit(const std::vector<const RasterBuffer *> &rasters, const QString &method);
    // Offsets and scales given directly (scales must be positive and finite).
    static Result<BandNormalization> fromValues(std::vector<double> offsets, std::vector<double> scales,
                                                const QString &method = QStringLiteral("standard"));

    int bands() const { return int(m_offsets.size()); }
    const QString &method() const { return m_method; }
    double offset(int band) const { return m_offsets.at(std::size_t(band)); }
    double scale(int band) const { return m_scales.at(std::size_t(band)); }

    // In place, every pixel (valid or not; invalid ones hold whatever the reader left there).
    void apply(RasterBuffer &buffer) const;
    void undo(RasterBuffer &buffer) const;

    // {"method", "offset": [...], "scale": [...]}
    QJsonObject toJson() const;
    static Result<BandNormalization> fromJson(const QJsonObject &json);

    friend bool operator==(const BandNormalization &, const BandNormalization &) = default;

private:
    QString m_method = QStringLiteral("standard");
    std::vector<double> m_offsets;
    std::vector<double> m_scales;
};

}  // namespace dw::superres
