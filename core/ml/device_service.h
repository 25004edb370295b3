#pragma once
// The compute devices: the CPU and every CUDA device LibTorch sees. Prefers CUDA, can be
// forced. Plain values only: no LibTorch type leaves core/ml.
#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dw {

struct DeviceInfo {
    QString id;           // "cpu", "cuda:0", ...
    QString name;         // "AMD EPYC 7B13 (2 threads)", "NVIDIA H100 80GB HBM3"
    qint64 memoryBytes = 0;  // total memory (RAM for the CPU)
    bool isCuda = false;
    QJsonObject toJson() const;
};

class DeviceService {
public:
    static QList<DeviceInfo> devices();
    static bool cudaAvailable();
    // "auto" (or empty): cuda:0 when available, else cpu. "cpu", "cuda", "cuda:N": checked,
    // with a clear error when CUDA was asked for and is not there.
    static Result<QString> resolve(const QString &request);
    // Sets LibTorch's intra-op thread count from the hardware (once; later calls no-ops).
    static void configureThreads();
    static int threadCount();
};

// The versions of the libraries the workbench was built with (for About and --version).
struct LibraryVersions {
    QString workbench, qt, libtorch, opencv, gdal, libarchive;
    bool cuda = false;
    QJsonObject toJson() const;
};
LibraryVersions libraryVersions();

}  // namespace dw
