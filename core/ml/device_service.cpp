#include "core/ml/device_service.h"

#include "core/ml/torch_compat.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

#include <mutex>

#include <unistd.h>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

// The first "key : value" of /proc/cpuinfo whose key is one of keys.
QString cpuInfoValue(const QByteArray &cpuinfo, const QList<QByteArray> &keys)
{
    for (const QByteArray &line : cpuinfo.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        if (keys.contains(line.left(colon).trimmed()))
            return QString::fromUtf8(line.mid(colon + 1).trimmed());
    }
    return {};
}

QString cpuModelName()
{
    QFile file(u"/proc/cpuinfo"_s);
    // /proc files report size 0: read until the end instead of trusting size().
    const QByteArray cpuinfo = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    // x86 says "model name"; ARM boards say "Hardware" or "Model"; some only "cpu model".
    QString name = cpuInfoValue(cpuinfo, {"model name", "Hardware", "Model", "cpu model", "uarch"});
    name.replace(QRegularExpression(u"\\s+"_s), u" "_s);
    return name.isEmpty() ? u"CPU"_s : name;
}

qint64 physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && pageSize > 0)
        return qint64(pages) * qint64(pageSize);
    QFile file(u"/proc/meminfo"_s);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    static const QRegularExpression total(u"^MemTotal:\\s+(\\d+)\\s*kB"_s, QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = total.match(QString::fromLatin1(file.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() * 1024 : 0;
}

QList<DeviceInfo> probeDevices()
{
    QList<DeviceInfo> list;
    DeviceInfo cpu;
    cpu.id = u"cpu"_s;
    cpu.threads = QThread::idealThreadCount();
    cpu.name = u"%1 (%2 threads)"_s.arg(cpuModelName()).arg(cpu.threads);
    cpu.memoryBytes = physicalMemoryBytes();
    list << cpu;
    try {
        const int count = compat::cudaDeviceCount();
        for (int i = 0; i < count; ++i) {
            DeviceInfo gpu;
            gpu.id = u"cuda:%1"_s.arg(i);
            gpu.name = compat::cudaDeviceName(i);
            gpu.memoryBytes = compat::cudaTotalMemory(i);
            gpu.computeCapability = compat::cudaComputeCapability(i);
            gpu.isCuda = true;
            list << gpu;
        }
    } catch (const std::exception &) {
        // A broken driver must not take the device list down: the CPU is still there.
    }
    return list;
}

int configuredThreadCount()
{
    bool ok = false;
    // --threads (which sets DEEPWB_THREADS), then OpenMP's own variable as PyTorch reads it, then
    // one per core (Debian's LibTorch would otherwise start with a single thread).
    for (const char *name : {"DEEPWB_THREADS", "OMP_NUM_THREADS"}) {
        const int fromEnvironment = qEnvironmentVariableIntValue(name, &ok);
        if (ok && fromEnvironment > 0)
            return fromEnvironment;
    }
    return std::max(1, QThread::idealThreadCount());
}

}  // namespace

QJsonObject DeviceInfo::toJson() const
{
    QJsonObject json{{u"id"_s, id}, {u"name"_s, name}, {u"memory_bytes"_s, memoryBytes}, {u"cuda"_s, isCuda}};
    if (!computeCapability.isEmpty())
        json.insert(u"compute_capability"_s, computeCapability);
    if (threads > 0)
        json.insert(u"threads"_s, threads);
    return json;
}

QList<DeviceInfo> DeviceService::devices()
{
    static const QList<DeviceInfo> cached = probeDevices();
    return cached;
}

bool DeviceService::cudaAvailable()
{
    const QList<DeviceInfo> all = devices();
    return std::any_of(all.cbegin(), all.cend(), [](const DeviceInfo &d) { return d.isCuda; });
}

Result<QString> DeviceService::resolve(const QString &request)
{
    const QString wanted = request.trimmed().toLower();
    const auto cudaDevices = [] {
        int n = 0;
        for (const DeviceInfo &d : devices())
            n += d.isCuda ? 1 : 0;
        return n;
    };
    if (wanted.isEmpty() || wanted == u"auto"_s)
        return cudaAvailable() ? u"cuda:0"_s : u"cpu"_s;
    if (wanted == u"cpu"_s)
        return u"cpu"_s;

    static const QRegularExpression cudaPattern(u"^(?:cuda|gpu)(?::(\\d+))?$"_s);
    const QRegularExpressionMatch match = cudaPattern.match(wanted);
    if (!match.hasMatch())
        return Error::at(u"device"_s, u"unknown device '%1'; use auto, cpu, cuda or cuda:N"_s.arg(request.trimmed()));
    if (!compat::torchHasCuda())
        return Error::at(u"device"_s,
                         u"CUDA was requested but this LibTorch (%1) has no CUDA support; use --device cpu"_s.arg(
                             compat::torchVersion()));
    const int count = cudaDevices();
    if (count == 0)
        return Error::at(u"device"_s, u"CUDA was requested but no CUDA device is visible (check the NVIDIA driver and "
                                      u"CUDA_VISIBLE_DEVICES); use --device cpu"_s);
    const int index = match.captured(1).isEmpty() ? 0 : match.captured(1).toInt();
    if (index >= count)
        return Error::at(u"device"_s,
                         u"CUDA device %1 does not exist; this machine has %2 (cuda:0 to cuda:%3)"_s.arg(index)
                             .arg(count == 1 ? u"one"_s : QString::number(count))
                             .arg(count - 1));
    return u"cuda:%1"_s.arg(index);
}

void DeviceService::configureThreads()
{
    // Debian's LibTorch starts with one intra-op thread; set it once, before the first job.
    static std::once_flag once;
    std::call_once(once, [] { compat::setIntraOpThreads(configuredThreadCount()); });
}

int DeviceService::threadCount()
{
    configureThreads();
    return compat::intraOpThreads();
}

}  // namespace dw
