// Issue 5's benchmark: ×2 super-resolution of generated 6-band rasters of 2,000² and 8,000²
// pixels, GeoTIFF in, GeoTIFF out, through the plugin's path (RasterReader → tiles → network
// → RasterWriter). Prints output megapixels per second and the peak resident memory of each
// case, which must stay under 3 GB and not grow with the raster. Each case runs in a child
// process of its own (this program again, with --case), so that its peak (VmHWM) is its own;
// the child also reports its peak before the raster (LibTorch and the module loaded) so the
// share of the raster is visible. GDAL's block cache (capped at 512 MB by core/io) fills up
// with a large raster; the largest case runs a second time with a 64 MB cache to show what
// the pipeline itself holds. The rasters are written block by block (never held in
// memory) into a temporary folder and removed after their case.
//
// The network: the default 6 blocks × 128 filters on CUDA; on the CPU, one small enough for
// 8,000² in a few minutes (1 block × 16 filters). Its weights are untrained (a few patches of
// training just to make a module folder): speed does not depend on them.
//
// Measured on the 2-core development box (CPU, 1 × 16 network, tile 128, batch 2): 2000² →
// 2.83 Mpx/s, peak 396 MB; 8000² → 3.29 Mpx/s (78 s), peak 888 MB with GDAL's 512 MB cache,
// 436 MB with a 64 MB one (167 MB before the raster: LibTorch and the module). The rest grows
// with the raster's width only (one full-width row of tiles and of output is held).
//
// --guided: the same with a guided module (DSen2's 20 m → 10 m): each raster comes with a
// 4-band guide twice as fine (a 2,000² raster has a 4,000² guide), read window by window too.
// Measured (same box, --guided --sizes 2000,4000): 2000² → 2.40 Mpx/s, peak 482 MB; 4000² →
// 3.04 Mpx/s, peak 888 MB with GDAL's cache, 456 MB with 64 MB; --guided --sizes 8000 (a
// 16,000² guide): 3.02 Mpx/s, peak 1,045 MB; 589 MB with a 64 MB cache (slower, 1.82 Mpx/s: the
// output's partial tiles are flushed and written again, which also makes the file larger).
//
//   bench_superres [--sizes 2000,8000] [--device auto|cpu|cuda] [--blocks N] [--filters N]
//                  [--tile N] [--batch N] [--tmp DIR] [--guided]
#include "core/io/raster_writer.h"
#include "core/ml/device_service.h"
#include "plugins/superres/infer/raster_superresolution.h"
#include "plugins/superres/module/loaded_superresolver.h"
#include "plugins/superres/train/sr_trainer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cmath>
#include <cstdio>

using namespace dw;
using namespace dw::superres;
using namespace Qt::StringLiterals;

namespace {

// Peak resident set (VmHWM) of this process in MB.
double peakResidentMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

// Smooth fields with texture, different per band: a stand-in for a 6-band scene.
float pattern(int b, int x, int y)
{
    const double v = 110 + 50 * std::sin(0.013 * x + 0.7 * b) * std::cos(0.009 * y - 0.3 * b) +
                     25 * std::sin(0.21 * x + 0.17 * y + b) + 10 * std::sin(0.9 * x * (b + 1) + 1.3 * y);
    return float(std::clamp(v, 0.0, 255.0));
}

// A size × size Byte GeoTIFF (tiled, DEFLATE) of `pixel` m pixels, written 256 rows at a time.
Result<void> generate(const QString &path, int size, int bands, double pixel = 20.0)
{
    RasterWriteSpec spec;
    spec.path = path;
    spec.width = size;
    spec.height = size;
    for (int b = 1; b <= bands; ++b)
        spec.bandDescriptions << u"B%1"_s.arg(b);
    spec.dataType = u"Byte"_s;
    spec.georeferenced = true;
    spec.geoTransform = {300000.0, pixel, 0.0, 5000000.0, 0.0, -pixel};
    spec.crsWkt = u"EPSG:32633"_s;
    Result<RasterWriter> writer = RasterWriter::create(spec);
    if (!writer)
        return writer.error();
    for (int y0 = 0; y0 < size; y0 += 256) {
        const int rows = std::min(256, size - y0);
        RasterBuffer block = RasterBuffer::zeros(size, rows, bands);
        for (int b = 0; b < bands; ++b)
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < size; ++x)
                    block.at(b, x, y) = pattern(b, x, y0 + y);
        if (Result<void> written = writer->write(QRect(0, y0, size, rows), block); !written)
            return written;
    }
    return writer->finish();
}

constexpr int kGuideBands = 4;

RasterBuffer patterned(int size, int bands)
{
    RasterBuffer raster = RasterBuffer::zeros(size, size, bands);
    for (int b = 0; b < bands; ++b)
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x)
                raster.at(b, x, y) = pattern(b, x, y);
    return raster;
}

// A module folder with the given network, trained for a handful of patches.
Result<QString> makeModule(const QString &dir, int blocks, int filters, bool guided)
{
    SrTrainRequest r;
    r.rasters.push_back(patterned(96, 6));
    if (guided)
        r.guides.push_back(patterned(192, kGuideBands));
    r.blocks = blocks;
    r.filters = filters;
    r.epochs = 1;
    r.patchSize = 16;
    r.patchesPerEpoch = 8;
    r.batchSize = 8;
    r.moduleDir = dir;
    r.moduleId = u"bench-x2"_s;
    JobContext context;
    Result<SrTrainOutcome> trained = trainSuperResolution(r, context);
    if (!trained)
        return trained.error();
    return dir;
}

// The child: one raster through the plugin's path; prints one JSON line.
int runCase(const QStringList &args)
{
    const QString input = option(args, u"--case"_s, {}), module = option(args, u"--module"_s, {});
    const QString output = option(args, u"--output"_s, {}), device = option(args, u"--device"_s, u"cpu"_s);
    Result<std::shared_ptr<LoadedSuperResolver>> model = LoadedSuperResolver::load(module, device);
    if (!model) {
        std::fprintf(stderr, "%s\n", qPrintable(model.error().text()));
        return 1;
    }
    const double baseline = peakResidentMb();
    RasterSuperResolutionRequest request;
    request.input = input;
    request.output = output;
    request.tileSize = option(args, u"--tile"_s, u"0"_s).toInt();
    request.batchSize = option(args, u"--batch"_s, u"0"_s).toInt();
    request.guide = option(args, u"--guide"_s, {});
    JobContext context;
    Result<RasterResult> result = superResolveRaster(**model, request, context);
    if (!result) {
        std::fprintf(stderr, "%s\n", qPrintable(result.error().text()));
        return 1;
    }
    QJsonObject line = result->metadata;
    line.insert(u"peak_mb"_s, peakResidentMb());
    line.insert(u"baseline_mb"_s, baseline);
    line.insert(u"output_bytes"_s, double(QFileInfo(output).size()));
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.contains(u"--case"_s))
        return runCase(args);

    QString device = option(args, u"--device"_s, u"auto"_s);
    if (device == u"auto"_s)
        device = DeviceService::cudaAvailable() ? u"cuda"_s : u"cpu"_s;
    const bool cuda = device.startsWith(u"cuda"_s);
    const int blocks = option(args, u"--blocks"_s, cuda ? u"6"_s : u"1"_s).toInt();
    const int filters = option(args, u"--filters"_s, cuda ? u"128"_s : u"16"_s).toInt();
    QList<int> sizes;
    for (const QString &s : option(args, u"--sizes"_s, u"2000,8000"_s).split(u','))
        sizes << s.toInt();
    const QString tmpRoot = option(args, u"--tmp"_s, QDir::tempPath());
    const bool guided = args.contains(u"--guided"_s);
    QTemporaryDir dir(tmpRoot + u"/bench_superres-XXXXXX"_s);
    QTextStream out(stdout);
    out << "bench_superres: x2, 6 bands Byte, GeoTIFF in and out; network " << blocks << " blocks x " << filters
        << " filters on " << device << (cuda ? " (the default network)" : " (a small network for the CPU)")
        << (guided ? "; guided by a 4-band raster twice as fine" : "") << "; machine: " << QThread::idealThreadCount()
        << " hardware threads\n"
        << Qt::flush;

    Result<QString> module = makeModule(dir.filePath(u"module"_s), blocks, filters, guided);
    if (!module) {
        out << "cannot make the module: " << module.error().text() << "\n";
        return 1;
    }
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(u"input"_s, -12)
               .arg(u"output"_s, -14)
               .arg(u"tiles"_s, 6)
               .arg(u"seconds"_s, 9)
               .arg(u"Mpx/s out"_s, 10)
               .arg(u"peak MB"_s, 9)
               .arg(u"(before raster)"_s, 16)
        << Qt::flush;
    bool ok = true;
    for (int size : sizes) {
        const QString input = dir.filePath(u"in_%1.tif"_s.arg(size)), output = dir.filePath(u"out_%1.tif"_s.arg(size));
        QElapsedTimer generation;
        generation.start();
        if (Result<void> made = generate(input, size, 6); !made) {
            out << "cannot write the input: " << made.error().text() << "\n";
            return 1;
        }
        const QString guide = guided ? dir.filePath(u"guide_%1.tif"_s.arg(size)) : QString();
        if (Result<void> made = guided ? generate(guide, 2 * size, kGuideBands, 10.0) : success(); !made) {
            out << "cannot write the guide: " << made.error().text() << "\n";
            return 1;
        }
        const qint64 generationMs = generation.elapsed();
        // Each case with GDAL's default block cache (core/io caps it at 512 MB), and the
        // largest once more with a 64 MB cache: what is left is the pipeline's own memory.
        QList<QString> caches{QString()};
        if (size == sizes.last())
            caches << u"64"_s;
        for (const QString &cache : caches) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            if (!cache.isEmpty())
                env.insert(u"GDAL_CACHEMAX"_s, cache);
            child.setProcessEnvironment(env);
            child.start(QCoreApplication::applicationFilePath(),
                        {u"--case"_s, input, u"--module"_s, *module, u"--output"_s, output, u"--device"_s, device,
                         u"--tile"_s, option(args, u"--tile"_s, u"0"_s), u"--batch"_s,
                         option(args, u"--batch"_s, u"0"_s), u"--guide"_s, guide});
            child.waitForFinished(-1);
            const QJsonObject r = QJsonDocument::fromJson(child.readAllStandardOutput().trimmed()).object();
            if (child.exitCode() != 0 || r.isEmpty()) {
                out << size << "²: the case failed\n";
                ok = false;
                continue;
            }
            const double peak = r.value(u"peak_mb"_s).toDouble();
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(QString::number(size) + u"²"_s, -12)
                       .arg(QString::number(size * 2) + u"²"_s, -14)
                       .arg(r.value(u"tiles"_s).toInt(), 6)
                       .arg(r.value(u"seconds"_s).toDouble(), 9, 'f', 1)
                       .arg(r.value(u"megapixels_per_second"_s).toDouble(), 10, 'f', 2)
                       .arg(peak, 9, 'f', 0)
                       .arg(r.value(u"baseline_mb"_s).toDouble(), 16, 'f', 0)
                << Qt::flush;
            out << "   tile " << r.value(u"tile_size"_s).toInt() << ", overlap " << r.value(u"overlap"_s).toInt()
                << ", batch " << r.value(u"batch"_s).toInt() << "; GDAL cache "
                << (cache.isEmpty() ? u"default"_s : cache + u" MB"_s) << "; input written in "
                << QString::number(double(generationMs) / 1000.0, 'f', 1) << " s; output "
                << QString::number(r.value(u"output_bytes"_s).toDouble() / 1e6, 'f', 0) << " MB on disk"
                << (peak < 3072 ? "" : "  -- OVER the 3 GB target") << "\n"
                << Qt::flush;
            ok = ok && peak < 3072;
            QFile::remove(output);
        }
        QFile::remove(input);
        QFile::remove(output);
        if (guided)
            QFile::remove(guide);
    }
    return ok ? 0 : 1;
}
