// Super-resolution speed on the CPU, the workbench against PyTorch, in one run: the built-in
// demo module landsat-x2-demo (DSen2, 4 blocks × 32 filters, ×2) over the whole Landsat 7 scene
// of ../shared/data (L7_ETMs.tif, 6 bands, 349 × 352 px) through the plugin's path — RasterReader,
// tiles, LoadedSuperResolver, RasterWriter into a GeoTIFF: what `deepwb predict landsat-x2-demo
// --raster` does — with --precision auto (the default) and fp32; against
// tests/bench/superres_reference.py, the same network in Python with random weights over as
// many tiles of the same size in batches of the same size, fp32 and bf16 + channels_last. The
// figure: megapixels of the output raster (698 × 704 here) per second. The peer's time has no
// reading and writing: it flatters the peer. Runs take turns (ours auto, ours fp32, torch fp32,
// torch bf16) after one warm-up round; the median of --runs counts.
//
//   bench_cpu_superres [--runs N] [--json]
#include "bench_figures.h"
#include "python_peer.h"

#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "core/ml/torch_compat.h"
#include "core/util/heap_tuning.h"
#include "plugins/superres/infer/raster_superresolution.h"
#include "plugins/superres/module/loaded_superresolver.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

using namespace dw;
using namespace dw::superres;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    keepFreedMemoryForReuse();  // as deepwb and deep-workbench do at their start
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const int runs = bench::optionCount(args, u"--runs"_s, 5);
    const QString moduleDir = QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules/landsat-x2-demo");
    const QString scene = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");
    if (!QFileInfo::exists(scene)) {
        out << "bench_cpu_superres: no scene at " << scene << Qt::endl;
        return 2;
    }
    DeviceService::configureThreads();
    const int threads = DeviceService::threadCount();
    Result<std::shared_ptr<LoadedSuperResolver>> model = LoadedSuperResolver::load(moduleDir, u"cpu"_s);
    if (!model) {
        out << "bench_cpu_superres: " << model.error().text() << Qt::endl;
        return 2;
    }
    const ml::Precision automatic = *ml::resolvePrecision(u"auto"_s, u"cpu"_s);
    QTemporaryDir dir;
    // One whole raster; the Mpx/s of its output and what the tiling was.
    QJsonObject plan;
    const auto ours = [&](ml::Precision precision) -> std::optional<double> {
        RasterSuperResolutionRequest request;
        request.input = scene;
        request.output = dir.filePath(u"x2.tif"_s);
        request.precision = precision;
        JobContext context;
        Result<RasterResult> result = superResolveRaster(**model, request, context);
        if (!result) {
            out << "bench_cpu_superres: " << result.error().text() << Qt::endl;
            return std::nullopt;
        }
        plan = result->metadata;
        plan.insert(u"output_width"_s, result->width);
        plan.insert(u"output_height"_s, result->height);
        return result->metadata.value(u"megapixels_per_second"_s).toDouble();
    };
    if (!ours(automatic))  // also the warm-up and the plan the peer follows
        return 2;
    const double outputMegapixels =
        plan.value(u"output_width"_s).toDouble() * plan.value(u"output_height"_s).toDouble() / 1e6;
    const SrModule &module = (*model)->module();
    bench::PythonPeer peer;
    peer.start(u"superres_reference.py"_s,
               {u"--bands"_s, QString::number((*model)->bands()), u"--filters"_s,
                QString::number(module.network.filters), u"--blocks"_s, QString::number(module.network.blocks),
                u"--scale"_s, QString::number((*model)->scale()), u"--tile"_s,
                QString::number(plan.value(u"tile_size"_s).toInt()), u"--tiles"_s,
                QString::number(plan.value(u"tiles"_s).toInt()), u"--batch"_s,
                QString::number(plan.value(u"batch"_s).toInt()), u"--threads"_s, QString::number(threads)});

    std::vector<double> oursAuto, oursFp32, torchFp32, torchBf16;  // Mpx/s; the peer's: seconds
    for (int round = 0; round <= runs; ++round) {                  // round 0: warm-up
        const std::optional<double> a = ours(automatic), f = ours(ml::Precision::Fp32);
        if (!a || !f)
            return 2;
        if (round > 0) {
            oursAuto.push_back(*a);
            oursFp32.push_back(*f);
        }
        peer.turn(u"fp32"_s, torchFp32, round > 0);
        peer.turn(u"bf16"_s, torchBf16, round > 0);
    }
    const bool python = peer.answers();
    const double a = bench::median(oursAuto), f = bench::median(oursFp32);
    const double t32 = outputMegapixels / bench::median(torchFp32), t16 = outputMegapixels / bench::median(torchBf16);
    out << u"landsat-x2-demo (DSen2 %1 blocks x %2 filters, x%3) on L7_ETMs.tif %4 x %5 -> %6 x %7 px, %8 tiles of %9 "
           "px (overlap %10), batch %11; %12 threads, LibTorch %13; median of %14 runs, taking turns; auto here: %15\n"_s
               .arg(module.network.blocks)
               .arg(module.network.filters)
               .arg((*model)->scale())
               .arg(plan.value(u"output_width"_s).toInt() / (*model)->scale())
               .arg(plan.value(u"output_height"_s).toInt() / (*model)->scale())
               .arg(plan.value(u"output_width"_s).toInt())
               .arg(plan.value(u"output_height"_s).toInt())
               .arg(plan.value(u"tiles"_s).toInt())
               .arg(plan.value(u"tile_size"_s).toInt())
               .arg(plan.value(u"overlap"_s).toInt())
               .arg(plan.value(u"batch"_s).toInt())
               .arg(threads)
               .arg(compat::torchVersion())
               .arg(runs)
               .arg(ml::describeAutoPrecision());
    out << u"output Mpx/s: ours auto %1, ours fp32 %2 (GeoTIFF read and written); torch fp32 %3, torch bf16+CL %4 "
           "(network and upsampling only)\n"_s.arg(a, 0, 'f', 3)
               .arg(f, 0, 'f', 3)
               .arg(python ? QString::number(t32, 'f', 3) : u"-"_s)
               .arg(python ? QString::number(t16, 'f', 3) : u"-"_s);
    out << "peer: " << (python ? peer.version() + u" (tests/bench/superres_reference.py)"_s : peer.why()) << Qt::endl;
    if (args.contains(u"--json"_s)) {
        QJsonObject result{{u"tiles"_s, plan.value(u"tiles"_s)},
                           {u"tile_size"_s, plan.value(u"tile_size"_s)},
                           {u"batch"_s, plan.value(u"batch"_s)},
                           {u"output_megapixels"_s, outputMegapixels},
                           {u"threads"_s, threads},
                           {u"libtorch"_s, compat::torchVersion()},
                           {u"auto"_s, ml::precisionName(automatic)},
                           {u"ours_auto"_s, a},
                           {u"ours_fp32"_s, f}};
        peer.report(result, {{u"torch_fp32"_s, t32}, {u"torch_bf16"_s, t16}});
        bench::printResult(out, result);
    }
    return 0;
}
