#pragma once
// What an image file's header says, read without decoding a pixel: enough to refuse a
// 30,000-px scan before it takes gigabytes, to find the EXIF orientation that OpenCV
// ignores with IMREAD_UNCHANGED, and to notice a JPEG cut short (which libjpeg would
// otherwise decode silently, filling the missing part with grey).
#include <QString>

#include <cstddef>
#include <cstdint>

namespace dw {

struct ImageInfo {
    QString format;  // "jpeg", "png", "bmp", "tiff", "webp", "pnm"; empty when not recognised
    int width = 0;   // as stored, before the orientation is applied; 0 when not known
    int height = 0;
    int channels = 0;        // samples per pixel as stored; 0 when the header does not say
    int bitDepth = 0;        // bits per sample; 0 when the header does not say
    int orientation = 1;     // EXIF orientation 1..8; 1: as stored
    bool truncated = false;  // the file ends before its image data does

    bool sizeKnown() const { return width > 0 && height > 0; }
    // Width and height as shown, after the orientation (5..8 swap the sides).
    int orientedWidth() const { return orientation >= 5 ? height : width; }
    int orientedHeight() const { return orientation >= 5 ? width : height; }

    // Parses the header of a whole file held in memory; never throws, never reads past
    // size. An unrecognised or damaged header gives an ImageInfo with an empty format or
    // an unknown size.
    static ImageInfo fromHeader(const std::uint8_t *data, std::size_t size);
};

}  // namespace dw
