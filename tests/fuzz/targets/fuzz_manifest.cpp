// module.json: parsing, reading every field, validation, and the JSON written back.
#include "fuzz_support.h"

#include "core/catalog/manifest_io.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const dw::ManifestReadResult read = dw::parseManifest(dwfuzz::bytes(data, size));
    for (const dw::ValidationProblem &problem : read.problems)
        (void)problem.text();
    // What a valid manifest says must survive a round trip through its JSON form.
    if (read.isValid()) {
        const QByteArray json = QJsonDocument(dw::manifestToJson(read.manifest)).toJson();
        const dw::ManifestReadResult again = dw::parseManifest(json);
        if (!again.isValid() || again.manifest.id != read.manifest.id)
            __builtin_trap();
    }
    return 0;
}
