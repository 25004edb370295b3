// DEEP-Hybrid-DataCloud metadata.json, turned into a manifest (catalog import-deep).
#include "fuzz_support.h"

#include "core/catalog/deep_metadata.h"
#include "core/catalog/manifest_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    QList<dw::ValidationProblem> warnings;
    const auto manifest = dw::importDeepMetadata(dwfuzz::bytes(data, size), &warnings);
    if (manifest.ok()) {
        (void)dw::validateManifest(manifest.value());
        (void)dw::manifestToJson(manifest.value());
    }
    for (const dw::ValidationProblem &warning : warnings)
        (void)warning.text();
    return 0;
}
