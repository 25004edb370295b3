#include "core/util/heap_tuning.h"

#include <QByteArray>
#include <QtGlobal>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dw {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    if (qgetenv("GLIBC_TUNABLES").contains("glibc.malloc."))
        return;
    // Blocks up to 64 MiB come from the heap, whose freed memory is reused; the heap's top is
    // given back to the kernel only beyond 512 MiB of free space.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace dw
