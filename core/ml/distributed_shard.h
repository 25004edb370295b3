#pragma once
// Which part of every epoch this process trains on in a data-parallel run, as PyTorch's
// DistributedSampler (drop_last=False) makes it: all ranks shuffle the same way (the same
// seed and epoch), the order is padded with its own beginning to a multiple of the world size,
// and rank r takes positions r, r + W, r + 2W, ... So every rank gets ceil(N / W) samples (the
// same number of batches, hence of gradient all-reduces), the shards are disjoint but for the
// at most W - 1 padded repeats, and batch k of all ranks together is batch k of one process
// with W times the batch size.
#include <QtGlobal>

#include <vector>

namespace dw::ml {

struct DistributedShard {
    int rank = 0;
    int worldSize = 1;

    bool active() const { return worldSize > 1; }
    // How many samples of n this rank trains on per epoch.
    qint64 sizeOf(qint64 n) const { return worldSize > 1 ? (n + worldSize - 1) / worldSize : n; }

    // This rank's part of an epoch's order (the whole order when not distributed).
    template <typename T>
    std::vector<T> of(const std::vector<T> &order) const
    {
        if (worldSize <= 1 || order.empty())
            return order;
        const auto n = static_cast<qint64>(order.size());
        const qint64 per = sizeOf(n);
        std::vector<T> mine;
        mine.reserve(static_cast<std::size_t>(per));
        for (qint64 k = 0; k < per; ++k) {
            const qint64 position = rank + k * worldSize;  // in the padded order
            mine.push_back(order[static_cast<std::size_t>(position % n)]);
        }
        return mine;
    }
};

}  // namespace dw::ml
