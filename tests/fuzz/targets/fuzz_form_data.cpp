// A request's arguments: the first line is the Content-Type header, the rest the body
// (multipart/form-data, urlencoded or JSON).
#include "fuzz_support.h"

#include "core/serve/form_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = dwfuzz::bytes(data, size);
    const qsizetype eol = input.indexOf('\n');
    const QByteArray contentType = eol < 0 ? input : input.left(eol);
    const QByteArray body = eol < 0 ? QByteArray() : input.mid(eol + 1);
    const auto form = dw::FormData::parse(contentType, body);
    if (form.ok()) {
        int index = 0;
        for (const dw::UploadedFile &file : form.value().files) {
            const QString name = dw::FormData::safeFileName(file.fileName, index++);
            // Whatever the client sent, the name is safe inside a folder of ours.
            if (name.isEmpty() || name.startsWith(QLatin1Char('.')) || name.contains(QLatin1Char('/')))
                __builtin_trap();
        }
    }
    return 0;
}
