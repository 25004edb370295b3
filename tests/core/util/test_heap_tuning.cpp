// core/util/heap_tuning: after keepFreedMemoryForReuse(), a batch-sized block (32 MiB) comes from
// the heap and its memory is kept when freed, instead of being mapped from and unmapped to the
// kernel each time (glibc's default for blocks of this size on a first allocation). A user's
// GLIBC_TUNABLES malloc setting is left alone.
#include "core/util/heap_tuning.h"

#include <QProcess>
#include <QTest>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

class TestHeapTuning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batchSizedBlocksStayInTheHeap()
    {
#if !defined(__GLIBC__)
        QSKIP("glibc only");
#else
        constexpr size_t kBlock = size_t(32) << 20;
        dw::keepFreedMemoryForReuse();
        const size_t mappedBefore = mallinfo2().hblkhd;
        void *block = std::malloc(kBlock);
        QVERIFY(block);
        std::memset(block, 1, kBlock);  // touched, so that it cannot be elided
        const size_t mappedDuring = mallinfo2().hblkhd;
        const size_t heapDuring = mallinfo2().arena;
        std::free(block);
        // Not a block mapped of its own, and the heap keeps the memory once it is freed.
        QCOMPARE(mappedDuring, mappedBefore);
        QVERIFY(heapDuring >= kBlock);
        QVERIFY2(mallinfo2().arena >= kBlock, "the heap gave the freed batch back to the kernel");
#endif
    }
};

QTEST_GUILESS_MAIN(TestHeapTuning)
#include "test_heap_tuning.moc"
