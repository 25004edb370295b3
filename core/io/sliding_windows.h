#pragma once
// Cuts series into supervised examples for a forecaster: W rows of every feature as input,
// the next H rows of every target as output (multi-step). Plain float arrays laid out as
// the tensors they become ([count, W, features] and [count, H, targets], row-major), so the
// plugin only wraps them (torch::from_blob) without copying element by element.
#include "core/util/result.h"

#include <QtGlobal>

#include <vector>

namespace dw {

struct WindowSet {
    int window = 0;
    int horizon = 0;
    int features = 0;
    int targets = 0;
    qsizetype count = 0;
    std::vector<float> inputs;              // count × window × features
    std::vector<float> outputs;             // count × horizon × targets
    std::vector<qsizetype> firstTargetRow;  // the row of each example's first forecast step

    float input(qsizetype example, int step, int feature) const
    {
        return inputs[size_t((example * window + step) * features + feature)];
    }
    float output(qsizetype example, int step, int target) const
    {
        return outputs[size_t((example * horizon + step) * targets + target)];
    }
};

class SlidingWindows {
public:
    // features[f][row] and targets[k][row], all of the same length and without NaN (fill
    // first). An example whose forecast rows [t, t + H) lie in [targetBegin, targetEnd)
    // reads the W rows [t − W, t) before it, which may lie before targetBegin: the
    // validation part is forecast with the end of the training part as context, the way
    // the model will be used. stride > 1 keeps every stride-th example.
    static Result<WindowSet> make(const std::vector<std::vector<double>> &features,
                                  const std::vector<std::vector<double>> &targets, int window, int horizon,
                                  qsizetype targetBegin, qsizetype targetEnd, int stride = 1);
    // The last W rows before row `end` (exclusive) as one input example [1, W, features]:
    // what forecasts the rows from `end` on.
    static Result<std::vector<float>> lastWindow(const std::vector<std::vector<double>> &features, int window,
                                                 qsizetype end);
};

}  // namespace dw
