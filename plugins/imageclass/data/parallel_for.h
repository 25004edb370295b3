#pragma once
// Runs body(i) for i in [0, count) on up to `threads` threads (0: one per core), each
// taking the next index as it finishes one, and stops handing out indices once cancel is
// set. Bodies must not throw. Results that must not depend on the thread count are
// written per index and combined by the caller in index order.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace dw::imageclass {

template <class Body>
void parallelFor(std::int64_t count, int threads, Body &&body, const std::atomic_bool *cancel = nullptr)
{
    if (count <= 0)
        return;
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<std::int64_t>(threads, count));
    std::atomic<std::int64_t> next{0};
    const auto work = [&] {
        for (;;) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            const std::int64_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= count)
                return;
            body(i);
        }
    };
    if (threads == 1) {
        work();
        return;
    }
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<std::size_t>(threads - 1));
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
}

}  // namespace dw::imageclass
