#pragma once
// Precompiled for the targets that use LibTorch (see cmake/DwTorch.cmake). Never include
// this from a public header: LibTorch stays out of every header that ui/ can reach.
#include <torch/torch.h>
