#pragma once
// A small random generator whose sequence is fixed by its seed on every platform and
// standard library (std::shuffle and the std distributions are not), so that splits,
// shuffles and augmentations are reproducible from a seed alone.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

namespace dw::imageclass {

class SeededRng {
public:
    explicit SeededRng(std::uint64_t seed) : m_state(seed) {}

    // SplitMix64: a good 64-bit mixer, also used to derive independent seeds.
    static std::uint64_t mix(std::uint64_t x)
    {
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    // A seed for one thing (an epoch, a sample) derived from a run's seed.
    static std::uint64_t derive(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0)
    {
        return mix(mix(mix(seed) ^ a) ^ (b * 0xD1B54A32D192ED03ull));
    }

    std::uint64_t next() { return mix(m_state++); }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool chance(double probability) { return probability > 0.0 && uniform() < probability; }
    // Uniform in [0, n), n > 0 (Lemire's method would be faster; this is unbiased enough
    // for n far below 2^64 and, above all, defined by the seed alone).
    std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
    // Standard normal (Box-Muller).
    double normal()
    {
        const double u1 = 1.0 - uniform();  // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    template <class T>
    void shuffle(std::vector<T> &values)
    {
        for (std::size_t i = values.size(); i > 1; --i)
            std::swap(values[i - 1], values[static_cast<std::size_t>(below(i))]);
    }

private:
    std::uint64_t m_state;
};

}  // namespace dw::imageclass
