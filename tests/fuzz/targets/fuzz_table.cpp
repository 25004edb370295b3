// A CSV/TSV time-series table: dialect sniffing, the time column, numbers, ordering.
#include "fuzz_support.h"

#include "core/io/table_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto imported = dw::TableReader::readText(dwfuzz::bytes(data, size), QStringLiteral("fuzz.csv"));
    if (imported.ok())
        (void)imported.value().report.toJson();
    return 0;
}
