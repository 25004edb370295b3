#include "plugins/imageclass/models/stochastic_depth.h"

#include <c10/util/Exception.h>

#include <vector>

namespace dw::imageclass {

torch::Tensor stochasticDepth(const torch::Tensor &x, double p, bool training)
{
    TORCH_CHECK(p >= 0.0 && p <= 1.0, "stochastic depth: the drop probability must be in [0, 1], got ", p);
    if (!training || p == 0.0)
        return x;
    const double survival = 1.0 - p;
    std::vector<int64_t> size(size_t(x.dim()), 1);  // one draw per sample ("row" mode)
    size[0] = x.size(0);
    torch::Tensor keep = torch::empty(size, x.options()).bernoulli_(survival);
    if (survival > 0.0)
        keep.div_(survival);
    return x * keep;
}

}  // namespace dw::imageclass
