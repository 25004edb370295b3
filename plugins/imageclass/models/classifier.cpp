#include "plugins/imageclass/models/classifier.h"

#include <c10/util/Exception.h>

namespace dw::imageclass {

void ClassifierImpl::checkInput(const torch::Tensor &x, int64_t minSize) const
{
    TORCH_CHECK(x.dim() == 4, m_spec.architecture, " expects a batch of images N×C×H×W, got a tensor of shape ",
                x.sizes());
    TORCH_CHECK(x.size(1) == m_spec.inChannels, m_spec.architecture, " was built for ", m_spec.inChannels,
                " input channel(s), got images with ", x.size(1));
    TORCH_CHECK(x.size(2) >= minSize && x.size(3) >= minSize, m_spec.architecture, " needs images of at least ",
                minSize, "×", minSize, " pixels, got ", x.size(3), "×", x.size(2));
}

}  // namespace dw::imageclass
