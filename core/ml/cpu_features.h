#pragma once
// What this processor offers a network, read once with CPUID (and XGETBV: the operating system
// must also save the wide registers): AVX2, AVX-512, AVX512-BF16 (Zen 4, Cooper Lake, Sapphire
// Rapids), AMX-BF16 (Sapphire Rapids). LibTorch's oneDNN kernels run bfloat16 convolutions and
// matrix products at about twice the fp32 rate where AVX512-BF16 or AMX is there, and emulate
// them slowly where it is not — so bf16 is worth it only on such a processor.
#include <QString>
#include <QStringList>

namespace dw::ml {

struct CpuFeatures {
    bool avx2 = false;
    bool avx512 = false;      // AVX-512 Foundation, with the OS saving its state
    bool avx512Bf16 = false;  // AVX512_BF16
    bool amxBf16 = false;     // AMX-BF16, with the OS saving the tile state

    // Native bfloat16 arithmetic: bf16 is faster than fp32 here.
    bool nativeBf16() const { return avx512Bf16 || amxBf16; }
    // "AVX2, AVX-512, AVX512-BF16" (the ones present), or "no AVX2".
    QString describe() const;
};

// This processor's (probed once, thread-safe). DEEPWB_CPU_FEATURES=fp32 pretends a processor
// without bfloat16 (for tests and to compare); any other value is ignored.
const CpuFeatures &cpuFeatures();
// The CPUID answer decoded; for the tests (leaf 7 subleaf 0 EBX/EDX, subleaf 1 EAX, and XCR0).
CpuFeatures decodeCpuFeatures(unsigned leaf7Ebx, unsigned leaf7Edx, unsigned leaf7Sub1Eax, unsigned long long xcr0,
                              bool osxsave);

}  // namespace dw::ml
