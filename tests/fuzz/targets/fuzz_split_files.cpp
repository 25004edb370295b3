// DEEP split files (train.txt, classes.txt, val.txt, test.txt: the input cut at NUL bytes)
// and a CSV manifest (the whole input), read against a small folder of images.
#include "fuzz_support.h"

#include "plugins/imageclass/data/csv_manifest_reader.h"
#include "plugins/imageclass/data/split_file_reader.h"

namespace {

QString datasetFolder()
{
    static const QString root = [] {
        const QString dir = dwfuzz::scratch().path() + QStringLiteral("/dataset");
        for (const char *image : {"images/cat/1.jpg", "images/cat/2.jpg", "images/dog/a b.png", "images/dog/3.png",
                                  "images/x.jpg", "images/y.tif"})
            dwfuzz::writeFile(dir + QLatin1Char('/') + QLatin1String(image), QByteArray("not decoded"));
        return dir;
    }();
    return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = dwfuzz::bytes(data, size);
    const QString root = datasetFolder();
    const QList<QByteArray> parts = dwfuzz::cut(input, 4);
    const char *names[] = {"train.txt", "classes.txt", "val.txt", "test.txt"};
    for (int i = 0; i < 4; ++i) {
        const QString path = root + QLatin1Char('/') + QLatin1String(names[i]);
        if (i == 0 || !parts[i].isEmpty())
            dwfuzz::writeFile(path, parts[i]);
        else
            QFile::remove(path);
    }
    (void)dw::imageclass::SplitFileReader::read(root);

    const QString csv = root + QStringLiteral("/manifest.csv");
    dwfuzz::writeFile(csv, input);
    (void)dw::imageclass::CsvManifestReader::read(csv);
    QFile::remove(csv);
    return 0;
}
