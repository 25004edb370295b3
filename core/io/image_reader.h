#pragma once
// Reads photographs and scientific images (JPEG, PNG, BMP, TIFF, WebP, PNM; grey, RGB,
// RGBA; 8 and 16 bit) into an Image, the way a classifier wants them: the size checked
// from the header before anything is decoded, the EXIF orientation applied, channels in
// RGB order and converted to the count the model takes. Every failure is an Error that
// names the file and says why. Thread-safe: all functions are reentrant.
#include "core/io/image.h"
#include "core/io/image_info.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dw {

struct ImageReadOptions {
    // Channels wanted: 0 keeps what the file has; 1 grey (luminance); 3 RGB (grey
    // replicated, alpha dropped); 4 RGBA (opaque alpha added). Another count must match
    // the file's.
    int channels = 0;
    // 8 or 16: convert to that depth; 0 keeps the file's (16-bit data stays 16-bit).
    int bitDepth = 0;
    // The EXIF orientation of JPEG, PNG (eXIf) and WebP files; a TIFF's own orientation
    // tag is left to libtiff.
    bool applyOrientation = true;
    // Images wider or taller than this are refused before decoding.
    int maxSide = 20000;
    // > 0: the image may come back smaller (a whole factor) as long as its shorter side stays
    // at least this: a JPEG is then decoded at 1/2, 1/4 or 1/8 scale, and an image of another
    // format over reduceAbovePixels is read by lines into the smaller size (reduced_decode.h).
    int reduceTo = 0;
    qint64 reduceAbovePixels = qint64(16) << 20;
    // An image that would take more than this to decode whole is refused with a message
    // (per image, so per request too): a 1.1 MB PNG may hold 20,000² pixels.
    qint64 maxDecodedBytes = qint64(1) << 30;
};

class ImageReader {
public:
    static constexpr int kDefaultMaxSide = 20000;

    // Lower-case suffixes without the dot of the files readers here accept.
    static const QStringList &suffixes();
    // By name only: a suffix in suffixes() and not a hidden file (".xyz", "._xyz").
    static bool isImageFileName(const QString &fileName);

    // The header only (format, size, channels, depth, orientation); reads the first
    // bytes of the file, or the whole of a format whose header does not say (GDAL then).
    static Result<ImageInfo> readInfo(const QString &path);
    // Reads and decodes a file.
    static Result<Image> read(const QString &path, const ImageReadOptions &options = {});
    // Decodes a whole file held in memory; name is used in messages only.
    static Result<Image> decode(const QByteArray &bytes, const QString &name, const ImageReadOptions &options = {});
    // Converts an image's channel count (see ImageReadOptions::channels).
    static Result<Image> convertChannels(const Image &image, int channels, const QString &name = {});
};

}  // namespace dw
