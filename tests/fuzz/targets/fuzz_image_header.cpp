// Image header sniffing (format, size, EXIF orientation, truncation) without decoding.
#include "fuzz_support.h"

#include "core/io/image_info.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const dw::ImageInfo info = dw::ImageInfo::fromHeader(data, size);
    if (info.orientation < 1 || info.orientation > 8 || info.width < 0 || info.height < 0)
        __builtin_trap();
    return 0;
}
