#pragma once
// Grad-CAM (Selvaraju et al., 2017): where in the image the network looked for a class.
// The gradient of the class's logit with respect to the last convolutional feature map
// weights it, place by place (HiResCAM, Draper et al., 2021: the same map as the gradient
// averaged per channel for a network that pools globally, and a faithful one for a head that
// does not, such as SmallCNN's); the sum over the channels, ReLU'd, upsampled to the input
// size and scaled to [0, 1] is the heat map. A network without a feature map (a
// TorchScript model whose layers could not be split, ClassifierImpl::hasFeatureMap()) gets
// the input-gradient saliency map instead (Simonyan et al., 2014).
#include "core/util/result.h"
#include "plugins/imageclass/models/classifier.h"

#include <QString>

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace dw::imageclass {

class LoadedClassifier;

// Maps N×H×W (float, on the model's device, each in [0, 1]; all 0 where the class has no
// positive evidence) of a batch N×C×H×W for classes (N int64; undefined: each sample's top
// class, returned through *used when given). Needs gradients: call it outside inference
// mode. Throws c10::Error like any LibTorch call.
torch::Tensor gradCamMaps(ClassifierImpl &model, const torch::Tensor &batch, torch::Tensor classes = {},
                          torch::Tensor *used = nullptr);

// One H×W map as an OpenCV matrix, CV_32F in [0, 1].
cv::Mat camToMat(const torch::Tensor &map);

// The Grad-CAM map of one image file, at the model's input size (CV_32F, in [0, 1]), for
// classIndex (-1: the top class, returned through *usedClass when given).
Result<cv::Mat> gradCamForImage(LoadedClassifier &classifier, const QString &path, int classIndex = -1,
                                int *usedClass = nullptr);

}  // namespace dw::imageclass
