#include "core/ml/cpu_features.h"

#include <QByteArray>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define DW_X86 1
#endif

namespace dw::ml {

namespace {

constexpr unsigned kAvx2 = 1u << 5;             // leaf 7.0 EBX
constexpr unsigned kAvx512F = 1u << 16;         // leaf 7.0 EBX
constexpr unsigned kAmxBf16 = 1u << 22;         // leaf 7.0 EDX
constexpr unsigned kAvx512Bf16 = 1u << 5;       // leaf 7.1 EAX
constexpr unsigned long long kYmm = 0x6;        // XCR0: SSE and AVX state
constexpr unsigned long long kZmm = 0xE6;       // XCR0: + opmask, ZMM_Hi256, Hi16_ZMM
constexpr unsigned long long kTiles = 0x60000;  // XCR0: XTILECFG, XTILEDATA

CpuFeatures probe()
{
#ifdef DW_X86
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return {};
    const bool osxsave = (c & (1u << 27)) != 0;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned lo = 0, hi = 0;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = (static_cast<unsigned long long>(hi) << 32) | lo;
    }
    unsigned b7 = 0, d7 = 0, a71 = 0;
    if (__get_cpuid_max(0, nullptr) >= 7) {
        __cpuid_count(7, 0, a, b7, c, d7);
        unsigned b1 = 0, c1 = 0, d1 = 0;
        __cpuid_count(7, 1, a71, b1, c1, d1);
    }
    return decodeCpuFeatures(b7, d7, a71, xcr0, osxsave);
#else
    return {};
#endif
}

}  // namespace

CpuFeatures decodeCpuFeatures(unsigned leaf7Ebx, unsigned leaf7Edx, unsigned leaf7Sub1Eax, unsigned long long xcr0,
                              bool osxsave)
{
    CpuFeatures f;
    const bool ymm = osxsave && (xcr0 & kYmm) == kYmm;
    const bool zmm = osxsave && (xcr0 & kZmm) == kZmm;
    f.avx2 = ymm && (leaf7Ebx & kAvx2);
    f.avx512 = zmm && (leaf7Ebx & kAvx512F);
    f.avx512Bf16 = f.avx512 && (leaf7Sub1Eax & kAvx512Bf16);
    f.amxBf16 = osxsave && (xcr0 & kTiles) == kTiles && (leaf7Edx & kAmxBf16);
    return f;
}

QString CpuFeatures::describe() const
{
    QStringList present;
    if (avx2)
        present << QStringLiteral("AVX2");
    if (avx512)
        present << QStringLiteral("AVX-512");
    if (avx512Bf16)
        present << QStringLiteral("AVX512-BF16");
    if (amxBf16)
        present << QStringLiteral("AMX-BF16");
    return present.isEmpty() ? QStringLiteral("no AVX2") : present.join(QStringLiteral(", "));
}

const CpuFeatures &cpuFeatures()
{
    static const CpuFeatures features = [] {
        CpuFeatures f = probe();
        if (qgetenv("DEEPWB_CPU_FEATURES") == "fp32")
            f.avx512Bf16 = f.amxBf16 = false;
        return f;
    }();
    return features;
}

}  // namespace dw::ml
