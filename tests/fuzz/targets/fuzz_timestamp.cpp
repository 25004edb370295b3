// Every time-stamp format on one cell, the format detector on the cells of a column, and the
// text written back for what parses.
#include "fuzz_support.h"

#include "core/io/time_format_detector.h"
#include "core/io/timestamp_parser.h"

#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    for (int f = int(dw::TimeFormat::IsoDateTime); f <= int(dw::TimeFormat::CompactDate); ++f) {
        const auto format = static_cast<dw::TimeFormat>(f);
        if (const auto parsed = dw::TimestampParser::parse(text, format)) {
            (void)dw::TimestampParser::toText(parsed->seconds, format);
            (void)dw::TimestampParser::advance(parsed->seconds, dw::TimestampParser::unitOf(format), 7);
        }
    }
    std::vector<std::string_view> cells;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || text[i] == '\n') {
            cells.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    (void)dw::TimeFormatDetector::detectText(cells);
    return 0;
}
