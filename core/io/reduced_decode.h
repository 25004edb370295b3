// Large images decoded smaller than they are, for a network whose input is a few hundred
// pixels: a 20,000² PNG would take over a gigabyte to decode whole and then be shrunk to 224².
// JPEG shrinks in its own decoder (DCT scaling, OpenCV's IMREAD_REDUCED_*); the other formats
// are read by GDAL one line at a time and averaged into the smaller image, so that memory is
// that of the result plus one line.
#pragma once

#include "core/io/image_info.h"

#include <QByteArray>
#include <QString>

#include <opencv2/core.hpp>

namespace dw {

// The largest whole factor by which an image may shrink with its shorter side still at least
// keepSide; 1 when it may not. JPEG's decoder takes 2, 4 or 8 only.
int reductionFactor(const ImageInfo &info, int keepSide);

// The image decoded at 1/factor of its size, in OpenCV's layout (BGR/BGRA, 8 or 16 bits);
// empty with *why set when it cannot be (the caller then decodes it whole, or refuses it).
cv::Mat decodeReduced(const QByteArray &bytes, const ImageInfo &info, int factor, QString *why);

}  // namespace dw
