#pragma once
// The compute devices: the CPU and every CUDA device LibTorch sees. Prefers CUDA, can be
// forced. Plain values only: no LibTorch type leaves core/ml.
#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dw {

struct DeviceInfo {
    QString id;              // "cpu", "cuda:0", ...
    QString name;            // "AMD EPYC 7B13 (2 threads)", "NVIDIA H100 80GB HBM3"
    qint64 memoryBytes = 0;  // total memory (RAM for the CPU)
    bool isCuda = false;
    QString computeCapability;  // CUDA only: "9.0"
    int threads = 0;            // CPU only: the hardware threads
    QJsonObject toJson() const;
};

class DeviceService {
public:
    // Probed once per process and cached (the first call initialises CUDA, which takes a
    // moment: make it from a worker or at start-up, not in a paint handler).
    static QList<DeviceInfo> devices();
    static bool cudaAvailable();
    // "auto" (or empty): cuda:0 when available, else cpu. "cpu", "cuda", "cuda:N": checked,
    // with a clear error when CUDA was asked for and is not there.
    static Result<QString> resolve(const QString &request);
    // Sets LibTorch's intra-op thread count from the hardware (once; later calls no-ops).
    // DEEPWB_THREADS=N overrides it, for a shared HPC node.
    static void configureThreads();
    static int threadCount();  // LibTorch's intra-op threads (configures them first)
};

// The versions of the libraries the workbench was built with (for About and --version).
struct LibraryVersions {
    QString workbench, qt, libtorch, opencv, gdal, libarchive;
    bool cuda = false;
    QJsonObject toJson() const;
};
LibraryVersions libraryVersions();

}  // namespace dw
