// Decoding a huge, well-compressed image for a small network (issue 14: a 19,999² PNG of 1.2 MB
// took 2.5 GB and 8 s to classify). Prints the time and the growth of the peak resident memory
// of a reduced decode (ImageReadOptions::reduceTo, as image classification asks) next to the
// whole decode it replaces, in the same run. The reduced decode runs first, so that its peak is
// not hidden by the whole one's.
//   bench_image_decode [SIDE] [REDUCE_TO]     (default 19999, 448)
#include "core/io/image_reader.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <gdal_priv.h>

#include <algorithm>
#include <vector>

#include <cstdio>
#include <sys/resource.h>

namespace {

long peakMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int side = argc > 1 ? std::atoi(argv[1]) : 19999;
    const int reduceTo = argc > 2 ? std::atoi(argv[2]) : 448;
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("huge.png"));
    {
        // A flat grey scan with a few lines, written by GDAL band by band and line by line so that
        // making it costs no memory: compresses to about a megabyte, as in the report.
        GDALAllRegister();
        GDALSetCacheMax64(GIntBig(64) << 20);
        const QString tiff = dir.filePath(QStringLiteral("huge.tif"));
        const char *options[] = {"COMPRESS=DEFLATE", "TILED=YES", nullptr};
        GDALDatasetUniquePtr source(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
            tiff.toUtf8().constData(), side, side, 3, GDT_Byte, const_cast<char **>(options)));
        std::vector<std::uint8_t> line(static_cast<std::size_t>(side));
        for (int b = 1; b <= 3; ++b)
            for (int y = 0; y < side; ++y) {
                std::fill(line.begin(), line.end(), std::uint8_t(y % 997 == 0 && b == 1 ? 255 : 128));
                if (source->GetRasterBand(b)->RasterIO(GF_Write, 0, y, side, 1, line.data(), side, 1, GDT_Byte, 0, 0) !=
                    CE_None)
                    return 1;
            }
        GDALDatasetUniquePtr png(GetGDALDriverManager()->GetDriverByName("PNG")->CreateCopy(
            file.toUtf8().constData(), source.get(), FALSE, nullptr, nullptr, nullptr));
        if (!png)
            return 1;
    }
    std::printf("%d x %d PNG, %.1f MB on disk; peak before decoding %ld MiB\n", side, side,
                double(QFileInfo(file).size()) / 1e6, peakMiB());

    auto run = [&](const char *what, const dw::ImageReadOptions &options) {
        const long before = peakMiB();
        QElapsedTimer timer;
        timer.start();
        const auto image = dw::ImageReader::read(file, options);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (!image) {
            std::printf("%-8s refused: %s\n", what, qPrintable(image.error().message));
            return;
        }
        std::printf("%-8s %6d x %-6d %7.2f s   peak %5ld MiB (+%ld)\n", what, image->width, image->height, seconds,
                    peakMiB(), peakMiB() - before);
    };
    dw::ImageReadOptions reduced;
    reduced.reduceTo = reduceTo;
    run("reduced", reduced);
    dw::ImageReadOptions whole;
    whole.maxDecodedBytes = qint64(8) << 30;  // the reference: decoded as before, whatever it takes
    run("whole", whole);
    return 0;
}
