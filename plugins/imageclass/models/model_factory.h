#pragma once
// Builds a classifier from its specification: training code sees only ClassifierImpl.
#include "plugins/imageclass/models/classifier.h"

#include <memory>
#include <string>
#include <vector>

namespace dw::imageclass {

// nullptr with *error set (when error is given) for an unknown architecture or sizes the
// network cannot take: channels 1..1024, classes 1..100000, image side from the
// architecture's minimum (28 for smallcnn, 32 for the others) to 4096.
std::shared_ptr<ClassifierImpl> createModel(const ModelSpec &spec, std::string *error = nullptr);

// "smallcnn", "resnet18", "resnet34", "resnet50", "mobilenetv2", "efficientnet_b0", "convnext_tiny".
std::vector<std::string> architectures();

// The smallest image side the architecture takes; 0 for an unknown architecture.
int64_t minImageSize(const std::string &architecture);

}  // namespace dw::imageclass
