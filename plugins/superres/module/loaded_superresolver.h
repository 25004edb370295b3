#pragma once
// A trained super-resolution network ready to run on one device: load the module folder
// once, then super-resolve windows of a raster of any size, tile by tile (the tiling, the
// mirrored borders and the writing live in infer/).
//
// superResolve() takes a low-resolution window with all the module's bands (a tile plus its
// border) and returns the window at scale× the size on the target grid:
//   1. normalise each band with the module's normalisation; invalid pixels become 0 (the
//      band's centre) so that nodata does not bleed into its neighbours;
//   2. bicubic upsampling by the scale (the same routine the training used, half-pixel
//      centres, borders clamped);
//   3. the network (its output is the upsampled input plus the learnt residual);
//   4. undo the normalisation.
// An output pixel is valid when the low-resolution pixel it lies in was valid; invalid output
// pixels hold 0. Output width/height = input width/height × scale.
// A guided module's windows also carry the finer guide packed after the bands
// (data/guide_packing.h): it is normalised with the guide's normalisation, unpacked onto the
// target grid (pixel_shuffle) and joins the upsampled bands at step 3.
//
// No LibTorch in this header: the tensors stay in the .cpp. Thread-safe (one pass at a time).
#include "core/io/raster_buffer.h"
#include "core/ml/precision.h"
#include "core/util/result.h"
#include "plugins/superres/module/sr_module.h"

#include <QString>

#include <memory>
#include <vector>

namespace dw::superres {

class LoadedSuperResolver {
public:
    // device: "cpu", "cuda", "cuda:N" or "auto". Errors: not a super-resolution module,
    // damaged module.json, missing weights or weights of another network, no CUDA.
    static Result<std::shared_ptr<LoadedSuperResolver>> load(const QString &moduleDir, const QString &device);
    ~LoadedSuperResolver();

    const SrModule &module() const;
    int scale() const;
    int bands() const;
    int guideBands() const;  // 0 when the module is not guided
    // The channels a window must have: bands, then the packed guide.
    GuideLayout windowLayout() const;
    const QString &device() const;  // as asked, e.g. "cuda:0"
    bool isCuda() const;

    // One window. An error when its band count is not the module's ("the raster has 4 bands
    // but the module ... was trained on 6"), or it is empty, or LibTorch fails (e.g. out of
    // memory: use smaller tiles).
    Result<RasterBuffer> superResolve(const RasterBuffer &lowRes) const;
    // Several windows of the SAME size as one batch on the device (faster on a GPU); the
    // results come back in order. An error when the sizes differ. bf16 on the CPU runs the
    // workbench's own network under bfloat16 autocast with channels-last tiles (imported
    // TorchScript and ONNX networks stay fp32).
    Result<std::vector<RasterBuffer>> superResolveBatch(const std::vector<RasterBuffer> &lowRes,
                                                        ml::Precision precision = ml::Precision::Fp32) const;
    // Whether superResolveBatch() runs `precision` as asked.
    bool runs(ml::Precision precision) const;

    // Only bicubic upsampling by the module's scale (same routine as step 2, no network),
    // on the original value scale: the baseline the metrics compare against. The window's
    // first bands() bands are used (a packed guide is ignored).
    Result<RasterBuffer> bicubic(const RasterBuffer &lowRes) const;

    // The message for a band-count mismatch, naming both counts (shared with the I/O side
    // which may check before reading a whole raster).
    QString bandMismatchMessage(int rasterBands) const;
    // The same for the guide raster of a guided module (or the lack of one).
    QString guideMismatchMessage(int guideRasterBands) const;

private:
    struct Impl;
    explicit LoadedSuperResolver(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace dw::superres
