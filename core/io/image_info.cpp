#include "core/io/image_info.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace dw {
namespace {

using namespace std::string_view_literals;

// Bounds-checked reads of big- and little-endian integers from a byte range.
class Bytes {
public:
    Bytes(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}

    std::size_t size() const { return m_size; }
    bool has(std::size_t offset, std::size_t count) const { return offset <= m_size && count <= m_size - offset; }
    bool matches(std::size_t offset, std::string_view text) const
    {
        return has(offset, text.size()) && std::memcmp(m_data + offset, text.data(), text.size()) == 0;
    }
    std::uint32_t u8(std::size_t offset) const { return has(offset, 1) ? m_data[offset] : 0; }
    std::uint32_t u16(std::size_t offset, bool bigEndian) const
    {
        if (!has(offset, 2))
            return 0;
        const std::uint32_t a = m_data[offset], b = m_data[offset + 1];
        return bigEndian ? (a << 8 | b) : (b << 8 | a);
    }
    std::uint32_t u24le(std::size_t offset) const
    {
        return has(offset, 3) ? (m_data[offset] | m_data[offset + 1] << 8 | std::uint32_t(m_data[offset + 2]) << 16)
                              : 0;
    }
    std::uint32_t u32(std::size_t offset, bool bigEndian) const
    {
        if (!has(offset, 4))
            return 0;
        const std::uint32_t hi = u16(offset, bigEndian), lo = u16(offset + 2, bigEndian);
        return bigEndian ? (hi << 16 | lo) : (lo << 16 | hi);
    }
    Bytes sub(std::size_t offset, std::size_t count) const
    {
        if (!has(offset, 0))
            return {m_data, 0};
        return {m_data + offset, std::min(count, m_size - offset)};
    }
    const std::uint8_t *data() const { return m_data; }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
};

// The fields of a TIFF structure's first IFD that matter here. EXIF blocks are TIFF
// structures too, so JPEG APP1, PNG eXIf and WebP EXIF all go through this.
struct TiffFields {
    bool valid = false;
    std::uint32_t width = 0, height = 0, samples = 0, bitsPerSample = 0, orientation = 1;
};

TiffFields readTiffIfd0(const Bytes &tiff)
{
    TiffFields fields;
    bool big = false;
    if (tiff.matches(0, "MM\0*"sv))
        big = true;
    else if (!tiff.matches(0, "II*\0"sv))
        return fields;
    const std::uint32_t ifd = tiff.u32(4, big);
    const std::uint32_t count = tiff.u16(ifd, big);
    if (!tiff.has(ifd + 2, std::size_t(count) * 12))
        return fields;
    fields.valid = true;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = ifd + 2 + std::size_t(i) * 12;
        const std::uint32_t tag = tiff.u16(entry, big), type = tiff.u16(entry + 2, big);
        const std::uint32_t valueCount = tiff.u32(entry + 4, big);
        // SHORT (3) and LONG (4) values of count 1 sit in the entry itself.
        std::uint32_t value = 0;
        if (type == 3)
            value = tiff.u16(entry + 8, big);
        else if (type == 4)
            value = tiff.u32(entry + 8, big);
        else
            continue;
        switch (tag) {
        case 256:
            fields.width = value;
            break;
        case 257:
            fields.height = value;
            break;
        case 258:  // BitsPerSample: with several samples the entry points to an array of equal values
            if (valueCount <= 2 && type == 3)
                fields.bitsPerSample = value;
            else if (type == 3)
                fields.bitsPerSample = tiff.u16(tiff.u32(entry + 8, big), big);
            break;
        case 274:
            if (value >= 1 && value <= 8)
                fields.orientation = value;
            break;
        case 277:
            fields.samples = value;
            break;
        default:
            break;
        }
    }
    return fields;
}

int orientationFromExif(Bytes exif)
{
    if (exif.matches(0, "Exif\0\0"sv))
        exif = exif.sub(6, exif.size());
    const TiffFields fields = readTiffIfd0(exif);
    return fields.valid ? static_cast<int>(fields.orientation) : 1;
}

// A JPEG's entropy-coded data never contains 0xFF 0xD9 (0xFF is stuffed with 0x00),
// so a file with no end-of-image marker after its first scan was cut short.
bool hasEndOfImage(const Bytes &bytes, std::size_t from)
{
    const std::uint8_t *p = bytes.data() + from;
    const std::uint8_t *end = bytes.data() + bytes.size();
    while (p < end) {
        p = static_cast<const std::uint8_t *>(std::memchr(p, 0xFF, static_cast<std::size_t>(end - p)));
        if (!p || p + 1 >= end)
            return false;
        if (p[1] == 0xD9)
            return true;
        ++p;
    }
    return false;
}

void parseJpeg(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("jpeg");
    info.bitDepth = 8;
    std::size_t pos = 2;
    while (b.has(pos, 4)) {
        if (b.u8(pos) != 0xFF) {  // extraneous bytes before a marker: libjpeg skips them too
            ++pos;
            continue;
        }
        const std::uint32_t marker = b.u8(pos + 1);
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        const std::uint32_t length = b.u16(pos + 2, true);
        if (length < 2)
            return;
        const std::size_t segment = pos + 4;
        if (marker == 0xE1 && b.matches(segment, "Exif\0\0"sv))
            info.orientation = orientationFromExif(b.sub(segment, length - 2));
        const bool startOfFrame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (startOfFrame && b.has(segment, 6)) {
            info.bitDepth = static_cast<int>(b.u8(segment));
            info.height = static_cast<int>(b.u16(segment + 1, true));
            info.width = static_cast<int>(b.u16(segment + 3, true));
            info.channels = static_cast<int>(b.u8(segment + 5));
        }
        if (marker == 0xDA) {  // start of scan: the headers are over
            info.truncated = !hasEndOfImage(b, segment + length - 2);
            return;
        }
        pos = segment + length - 2;
    }
    info.truncated = true;  // the headers themselves run past the end of the file
}

void parsePng(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("png");
    if (!b.matches(12, "IHDR"sv))
        return;
    info.width = static_cast<int>(std::min<std::uint32_t>(b.u32(16, true), 1u << 30));
    info.height = static_cast<int>(std::min<std::uint32_t>(b.u32(20, true), 1u << 30));
    info.bitDepth = static_cast<int>(b.u8(24));
    switch (b.u8(25)) {
    case 0:
        info.channels = 1;
        break;
    case 2:
        info.channels = 3;
        break;
    case 3:
        info.channels = 3;
        info.bitDepth = 8;
        break;  // palette
    case 4:
        info.channels = 2;
        break;
    case 6:
        info.channels = 4;
        break;
    default:
        break;
    }
    // Walk the chunks for eXIf (allowed before or after the image data) and IEND.
    std::size_t pos = 8;
    bool sawEnd = false;
    while (b.has(pos, 8)) {
        const std::size_t length = b.u32(pos, true);
        if (b.matches(pos + 4, "eXIf"sv))
            info.orientation = orientationFromExif(b.sub(pos + 8, length));
        if (b.matches(pos + 4, "IEND"sv)) {
            sawEnd = true;
            break;
        }
        if (!b.has(pos + 8, length + std::size_t(4)))
            break;
        pos += 12 + length;
    }
    info.truncated = !sawEnd;
}

void parseBmp(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("bmp");
    const std::uint32_t headerSize = b.u32(14, false);
    std::int64_t width = 0, height = 0;
    std::uint32_t bits = 0;
    if (headerSize == 12) {
        width = static_cast<std::int16_t>(b.u16(18, false));
        height = static_cast<std::int16_t>(b.u16(20, false));
        bits = b.u16(24, false);
    } else if (headerSize >= 40) {
        width = static_cast<std::int32_t>(b.u32(18, false));
        height = static_cast<std::int32_t>(b.u32(22, false));
        bits = b.u16(28, false);
    } else {
        return;
    }
    info.width = static_cast<int>(std::min<std::int64_t>(std::abs(width), 1 << 30));
    info.height = static_cast<int>(std::min<std::int64_t>(std::abs(height), 1 << 30));  // negative: top-down
    info.bitDepth = 8;
    info.channels = bits == 32 ? 4 : (bits == 8 || bits == 1 || bits == 4) ? 0 : 3;  // palettes may be grey or colour
    const std::uint32_t pixelOffset = b.u32(10, false);
    const std::uint32_t compression = headerSize >= 40 ? b.u32(30, false) : 0;
    if (compression == 0 && bits >= 1 && bits <= 32) {
        const std::uint64_t rowBytes = ((std::uint64_t(info.width) * bits + 31) / 32) * 4;
        info.truncated = pixelOffset + rowBytes * std::uint64_t(info.height) > b.size();
    }
}

void parseTiff(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("tiff");
    const TiffFields fields = readTiffIfd0(b);
    if (!fields.valid) {
        const bool big = b.matches(0, "MM\0*"sv);
        info.truncated = !b.has(b.u32(4, big), 2);  // the directory lies past the end
        return;
    }
    info.width = static_cast<int>(std::min<std::uint32_t>(fields.width, 1u << 30));
    info.height = static_cast<int>(std::min<std::uint32_t>(fields.height, 1u << 30));
    info.channels = static_cast<int>(fields.samples ? fields.samples : 1);
    info.bitDepth = static_cast<int>(fields.bitsPerSample ? fields.bitsPerSample : 1);
    // OpenCV's TIFF decoder reads some layouts through libtiff's RGBA interface, which
    // applies the orientation itself; leave TIFF orientation to the decoder.
    info.orientation = 1;
}

void parseWebp(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("webp");
    info.bitDepth = 8;
    std::size_t pos = 12;
    while (b.has(pos, 8)) {
        const std::size_t length = b.u32(pos + 4, false);
        const std::size_t data = pos + 8;
        if (b.matches(pos, "VP8X"sv)) {
            info.channels = (b.u8(data) & 0x10) ? 4 : 3;
            info.width = static_cast<int>(b.u24le(data + 4) + 1);
            info.height = static_cast<int>(b.u24le(data + 7) + 1);
        } else if (b.matches(pos, "VP8 "sv) && !info.sizeKnown()) {
            info.channels = 3;
            if (b.u8(data + 3) == 0x9D && b.u8(data + 4) == 0x01 && b.u8(data + 5) == 0x2A) {
                info.width = static_cast<int>(b.u16(data + 6, false) & 0x3FFF);
                info.height = static_cast<int>(b.u16(data + 8, false) & 0x3FFF);
            }
        } else if (b.matches(pos, "VP8L"sv) && !info.sizeKnown()) {
            if (b.u8(data) == 0x2F) {
                const std::uint32_t bits = b.u32(data + 1, false);
                info.width = static_cast<int>((bits & 0x3FFF) + 1);
                info.height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
                info.channels = (bits >> 28) & 1 ? 4 : 3;
            }
        } else if (b.matches(pos, "EXIF"sv)) {
            info.orientation = orientationFromExif(b.sub(data, length));
        }
        pos = data + length + (length & 1);
    }
    const std::uint32_t riffSize = b.u32(4, false);
    info.truncated = std::size_t(riffSize) + 8 > b.size();
}

// Netpbm: "P5 <width> <height> <max>" in ASCII, with # comments.
void parsePnm(const Bytes &b, ImageInfo &info)
{
    info.format = QStringLiteral("pnm");
    const char kind = static_cast<char>(b.u8(1));
    info.channels = (kind == '3' || kind == '6') ? 3 : 1;
    std::size_t pos = 2;
    long values[3] = {0, 0, 0};
    const int wanted = (kind == '1' || kind == '4') ? 2 : 3;
    for (int v = 0; v < wanted; ++v) {
        while (pos < b.size()) {
            const char c = static_cast<char>(b.u8(pos));
            if (c == '#') {
                while (pos < b.size() && b.u8(pos) != '\n')
                    ++pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++pos;
            } else {
                break;
            }
        }
        if (pos >= b.size() || b.u8(pos) < '0' || b.u8(pos) > '9')
            return;
        while (pos < b.size() && b.u8(pos) >= '0' && b.u8(pos) <= '9' && values[v] < (1L << 31))
            values[v] = values[v] * 10 + static_cast<long>(b.u8(pos++) - '0');
    }
    info.width = static_cast<int>(std::min(values[0], 1L << 30));
    info.height = static_cast<int>(std::min(values[1], 1L << 30));
    info.bitDepth = wanted == 2 ? 1 : (values[2] > 255 ? 16 : 8);
}

}  // namespace

ImageInfo ImageInfo::fromHeader(const std::uint8_t *data, std::size_t size)
{
    ImageInfo info;
    if (!data)
        return info;
    const Bytes b(data, size);
    if (b.u8(0) == 0xFF && b.u8(1) == 0xD8)
        parseJpeg(b, info);
    else if (b.matches(0, "\x89PNG\r\n\x1a\n"sv))
        parsePng(b, info);
    else if (b.matches(0, "BM"sv))
        parseBmp(b, info);
    else if (b.matches(0, "II*\0"sv) || b.matches(0, "MM\0*"sv))
        parseTiff(b, info);
    else if (b.matches(0, "RIFF"sv) && b.matches(8, "WEBP"sv))
        parseWebp(b, info);
    else if (b.u8(0) == 'P' && b.u8(1) >= '1' && b.u8(1) <= '6')
        parsePnm(b, info);
    return info;
}

}  // namespace dw
