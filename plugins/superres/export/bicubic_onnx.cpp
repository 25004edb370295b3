#include "plugins/superres/export/bicubic_onnx.h"

#include "plugins/superres/models/bicubic_upsampling.h"

#include <torch/torch.h>

#include <cmath>

namespace dw::superres {

namespace {

constexpr double kA = -0.75;  // PyTorch's cubic convolution coefficient

double nearWeight(double x)  // |x| <= 1
{
    return ((kA + 2.0) * x - (kA + 3.0)) * x * x + 1.0;
}

double farWeight(double x)  // 1 < |x| < 2
{
    return ((kA * x - 5.0 * kA) * x + 8.0 * kA) * x - 4.0 * kA;
}

// The 1-D kernel of the transposed convolution: output r of each group of `scale` takes input
// k + j (j = -2..2) with tap r + scale·(2 - j).
std::vector<double> kernel1d(int scale)
{
    std::vector<double> kernel(size_t(5 * scale), 0.0);
    for (int r = 0; r < scale; ++r) {
        const double source = (r + 0.5) / scale - 0.5;
        const int floor = int(std::floor(source));
        const double t = source - floor;
        const double weights[4] = {farWeight(t + 1.0), nearWeight(t), nearWeight(1.0 - t), farWeight(2.0 - t)};
        for (int k = 0; k < 4; ++k) {
            const int j = floor - 1 + k;
            kernel[size_t(r + scale * (2 - j))] += weights[k];
        }
    }
    return kernel;
}

// Two copies of the first and of the last row (axis 2) or column (axis 3) around x.
ml::OnnxValue repeatBorders(ml::OnnxEmitter &e, const ml::OnnxValue &x, int64_t axis, const std::string &path)
{
    const ml::OnnxValue first = e.slice(x, axis, 0, 1, path);
    const ml::OnnxValue last = e.slice(x, axis, -1, std::numeric_limits<int32_t>::max(), path);
    return e.concat({first, first, x, last, last}, axis, path);
}

}  // namespace

ml::OnnxValue emitBicubicUpsample(ml::OnnxEmitter &e, const ml::OnnxValue &in, int scale, const std::string &path)
{
    const int64_t channels = in.sample.size(1), taps = 5 * int64_t(scale);
    const std::vector<double> k = kernel1d(scale);
    // One channel to itself (a diagonal kernel: OpenCV 4.6's grouped transposed convolution
    // is not relied on).
    torch::Tensor weight = torch::zeros({channels, channels, taps, taps}, torch::kFloat64);
    const torch::Tensor k1 = torch::tensor(k, torch::kFloat64);
    const torch::Tensor k2 = torch::outer(k1, k1);
    for (int64_t c = 0; c < channels; ++c)
        weight[c][c] = k2;
    const ml::OnnxValue padded = repeatBorders(e, repeatBorders(e, in, 2, path + ".rows"), 3, path + ".columns");
    const int64_t pad = 4 * int64_t(scale);
    return e.node("ConvTranspose", {padded.name, e.constant(weight.to(torch::kFloat32), path + ".kernel")},
                  bicubicUpsample(in.sample, scale), path,
                  {{"kernel_shape", std::vector<int64_t>{taps, taps}},
                   {"strides", std::vector<int64_t>{scale, scale}},
                   {"pads", std::vector<int64_t>{pad, pad, pad, pad}}});
}

}  // namespace dw::superres
