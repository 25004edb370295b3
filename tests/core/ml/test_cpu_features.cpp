// What the processor offers (CPUID decoded, the operating system's saved state respected) and
// the precision --precision auto picks from it; this machine's answer against /proc/cpuinfo.
#include "core/ml/cpu_features.h"
#include "core/ml/precision.h"

#include <QFile>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace dw::ml;

namespace {
constexpr unsigned kAvx2 = 1u << 5, kAvx512F = 1u << 16, kAmx = 1u << 22, kBf16 = 1u << 5;
constexpr unsigned long long kAllState = 0x600E7;  // x87, SSE, AVX, AVX-512, AMX tiles
}  // namespace

class TestCpuFeatures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decoding()
    {
        const CpuFeatures zen4 = decodeCpuFeatures(kAvx2 | kAvx512F, 0, kBf16, kAllState, true);
        QVERIFY(zen4.avx2 && zen4.avx512 && zen4.avx512Bf16 && !zen4.amxBf16);
        QVERIFY(zen4.nativeBf16());
        QCOMPARE(zen4.describe(), u"AVX2, AVX-512, AVX512-BF16"_s);

        const CpuFeatures sapphire = decodeCpuFeatures(kAvx2 | kAvx512F, kAmx, kBf16, kAllState, true);
        QVERIFY(sapphire.amxBf16 && sapphire.nativeBf16());

        const CpuFeatures haswell = decodeCpuFeatures(kAvx2, 0, 0, kAllState, true);
        QVERIFY(haswell.avx2 && !haswell.avx512 && !haswell.nativeBf16());
        QCOMPARE(haswell.describe(), u"AVX2"_s);

        // The bits are there but the operating system does not save the registers: none usable.
        const CpuFeatures noOs = decodeCpuFeatures(kAvx2 | kAvx512F, kAmx, kBf16, 0x3, true);
        QVERIFY(!noOs.avx2 && !noOs.avx512 && !noOs.nativeBf16());
        QCOMPARE(noOs.describe(), u"no AVX2"_s);
        QVERIFY(!decodeCpuFeatures(kAvx2, 0, 0, kAllState, false).avx2);
        // AVX-512 state saved but not AMX's: no AMX.
        QVERIFY(!decodeCpuFeatures(kAvx2 | kAvx512F, kAmx, 0, 0xE7, true).amxBf16);
    }

    // This machine's CPUID against the kernel's view of it.
    void thisMachine()
    {
        QFile cpuinfo(u"/proc/cpuinfo"_s);
        if (!cpuinfo.open(QIODevice::ReadOnly))
            QSKIP("no /proc/cpuinfo");
        const QByteArray text = cpuinfo.readAll();
        const QByteArray flags = text.mid(text.indexOf("\nflags"), 4096);
        const auto has = [&](const char *flag) {
            return flags.contains(QByteArray(" ") + flag + " ") || flags.contains(QByteArray(" ") + flag + "\n");
        };
        const CpuFeatures &f = cpuFeatures();
        QCOMPARE(f.avx2, has("avx2"));
        QCOMPARE(f.avx512, has("avx512f"));
        QCOMPARE(f.avx512Bf16, has("avx512_bf16"));
        QCOMPARE(f.amxBf16, has("amx_bf16"));
        qInfo("this CPU: %s; auto: %s", qPrintable(f.describe()), qPrintable(describeAutoPrecision()));
    }

    void precision()
    {
        QCOMPARE(*resolvePrecision(u"fp32"_s, u"cpu"_s), Precision::Fp32);
        QCOMPARE(*resolvePrecision(u"BF16"_s, u"cpu"_s), Precision::Bf16);
        QCOMPARE(*resolvePrecision(u"bf16"_s, u"cuda:0"_s), Precision::Bf16);
        QCOMPARE(*resolvePrecision(u"auto"_s, u"cuda:0"_s), Precision::Fp32);
        const Precision automatic = cpuFeatures().nativeBf16() ? Precision::Bf16 : Precision::Fp32;
        QCOMPARE(*resolvePrecision(u"auto"_s, u"cpu"_s), automatic);
        QCOMPARE(*resolvePrecision(QString(), u"cpu"_s), automatic);
        const auto bad = resolvePrecision(u"fp16"_s, u"cpu"_s);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().field, u"precision"_s);
        QVERIFY(bad.error().message.contains(u"auto, fp32 or bf16"_s));
        QCOMPARE(precisionChoices(), (QStringList{u"auto"_s, u"fp32"_s, u"bf16"_s}));
    }
};

QTEST_GUILESS_MAIN(TestCpuFeatures)
#include "test_cpu_features.moc"
