// What the Raster workspace's view costs on a large raster: a generated 8000 × 8000, 3-band
// Byte GeoTIFF (tiled, deflate, no overviews, 192 MB of pixels), read for a 1000 × 1000 screen
// at "fit" (RasterReader::readResampled), at 1:1 (a 1000 × 700 window read) and stretched to
// an image (renderComposite), plus the percentile stretch. Prints the median of a few runs and
// the process's peak memory. Targets: a 1:1 view under 100 ms; nothing holds the raster
// whole (peak RSS well below its 192 MB of pixels as float, 768 MB).
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "ui/raster/raster_composite.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace {

constexpr int kSide = 8000;

double medianMs(int runs, const std::function<bool()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        if (!work())
            return -1.0;
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Texture that does not compress away, as a real scene's would not.
int noise(int x, int y, int b)
{
    uint32_t h = uint32_t(x) * 73856093u ^ uint32_t(y) * 19349663u ^ uint32_t(b) * 83492791u;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    return int((h ^ (h >> 15)) & 63u);
}

long peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

}  // namespace

int view(const QString &path, QTextStream &out);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    if (argc > 1)
        return view(QString::fromLocal8Bit(argv[1]), out);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("large.tif"));

    dw::RasterWriteSpec spec;
    spec.path = path;
    spec.width = kSide;
    spec.height = kSide;
    spec.bandDescriptions = {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")};
    spec.dataType = QStringLiteral("Byte");
    dw::Result<dw::RasterWriter> writer = dw::RasterWriter::create(spec);
    if (!writer) {
        out << "cannot write the raster: " << writer.error().text() << "\n";
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    const int rows = 500;
    for (int y0 = 0; y0 < kSide; y0 += rows) {
        dw::RasterBuffer strip = dw::RasterBuffer::zeros(kSide, rows, 3);
        for (int b = 0; b < 3; ++b)
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < kSide; ++x)
                    strip.at(b, x, y) = float((x / 7 + (y0 + y) / 5 + b * 40 + noise(x, y0 + y, b)) % 256);
        if (!writer->write(QRect(0, y0, kSide, rows), strip)) {
            out << "write failed\n";
            return 1;
        }
    }
    if (!writer->finish()) {
        out << "finish failed\n";
        return 1;
    }
    out << QStringLiteral("wrote %1 × %1 × 3 Byte (%2 MB on disk) in %3 s\n")
               .arg(kSide)
               .arg(QFile(path).size() / 1e6, 0, 'f', 1)
               .arg(timer.elapsed() / 1000.0, 0, 'f', 1);
    // The view runs in a fresh process, so that its peak memory is its own (GDAL's block
    // cache filled while writing).
    out.flush();
    return QProcess::execute(QCoreApplication::applicationFilePath(), {path});
}

int view(const QString &path, QTextStream &out)
{
    dw::Result<dw::RasterReader> reader = dw::RasterReader::open(path);
    if (!reader) {
        out << reader.error().text() << "\n";
        return 1;
    }
    dw::CompositeSpec fixed;
    fixed.bands = {1, 2, 3};
    fixed.stretches = {dw::BandStretch{0, 255}, dw::BandStretch{0, 255}, dw::BandStretch{0, 255}};
    const QRect whole(0, 0, kSide, kSide);
    auto fit = [&] {
        dw::Result<dw::RasterBuffer> pixels = reader->readResampled(whole, QSize(1000, 1000), {1, 2, 3});
        return pixels && !dw::renderComposite(*pixels, fixed).isNull();
    };
    const double fitColdMs = medianMs(1, fit);  // the first read decompresses every tile
    const double fitMs = medianMs(3, fit);      // then GDAL's block cache holds them
    dw::Result<dw::CompositeSpec> composite = fixed;
    const double stretchMs = medianMs(1, [&] {
        composite = dw::computeComposite(*reader, {1, 2, 3}, 2.0, 98.0);
        return bool(composite);
    });
    const double oneToOneMs = medianMs(5, [&] {
        dw::Result<dw::RasterBuffer> pixels = reader->read(QRect(3500, 3600, 1000, 700), {1, 2, 3});
        return pixels && !dw::renderComposite(*pixels, *composite).isNull();
    });
    out << QStringLiteral("percentile stretch (3 bands, 250k samples each): %1 ms\n").arg(stretchMs, 0, 'f', 0);
    out << QStringLiteral("fit view (whole raster → 1000 × 1000, no overviews): %1 ms cold, %2 ms cached\n")
               .arg(fitColdMs, 0, 'f', 0)
               .arg(fitMs, 0, 'f', 0);
    out << QStringLiteral("1:1 view (1000 × 700 window): %1 ms\n").arg(oneToOneMs, 0, 'f', 1);
    out << QStringLiteral("peak RSS of the viewing process: %1 MB, GDAL's block cache included (the raster as float "
                          "would be %2 MB)\n")
               .arg(peakRssMb())
               .arg(double(kSide) * kSide * 3 * 4 / 1e6, 0, 'f', 0);
    return 0;
}
