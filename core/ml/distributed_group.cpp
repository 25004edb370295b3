// c10d's Gloo process group is compiled in only where its headers are: Debian's LibTorch
// (libgloo-dev) and a LibTorch that ships them. NCCL only in a CUDA build that has it.
#if __has_include(<gloo/algorithm.h>)
#define USE_C10D_GLOO 1
#define DW_HAVE_GLOO 1
#endif
#if defined(DW_WITH_CUDA) && __has_include(<nccl.h>) && \
    __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#define USE_C10D_NCCL 1
#define DW_HAVE_NCCL 1
#endif

#include "core/ml/distributed_group.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef DW_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef DW_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/nn/module.h>

#include <QCryptographicHash>
#include <QHostInfo>
#include <QStringList>

#include <atomic>
#include <cstring>
#include <thread>

namespace dw::ml {

namespace {

std::atomic<DistributedGroup *> g_active{nullptr};

constexpr std::int64_t kBucketBytes = 25 * 1024 * 1024;  // as DistributedDataParallel's default

QString seconds(std::chrono::milliseconds t)
{
    return QString::number(double(t.count()) / 1000.0, 'g', 4);
}

std::string key(const char *what, int rank)
{
    return std::string(what) + "/" + std::to_string(rank);
}

bool isLoopback(const QString &host)
{
    return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1");
}

}  // namespace

struct DistributedGroup::Impl {
    DistributedLaunch launch;
    std::chrono::milliseconds timeout{0};
    torch::Device device = torch::kCPU;  // where the collectives' tensors live
    c10::intrusive_ptr<c10d::Store> store;
#ifdef DW_HAVE_GLOO
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#ifdef DW_HAVE_NCCL
    c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif

    QString where() const
    {
        return QStringLiteral("%1:%2").arg(launch.masterAddress).arg(launch.masterPort);
    }

    // The ranks other than this one that have not said within a few seconds that they saw the
    // failure too: those that died, hung or lost the network. Throws when the store is gone.
    QList<int> silentRanks()
    {
        store->set(key("failed", launch.rank), std::vector<uint8_t>{1});
        const auto deadline = std::chrono::steady_clock::now() + std::min(timeout, std::chrono::milliseconds(5000));
        QList<int> silent;
        while (true) {
            silent.clear();
            for (int r = 0; r < launch.worldSize; ++r) {
                if (r != launch.rank && !store->check({key("failed", r)}))
                    silent.append(r);
            }
            if (silent.isEmpty() || std::chrono::steady_clock::now() > deadline)
                return silent;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    static QString ranks(const QList<int> &list)
    {
        QStringList names;
        for (int r : list)
            names.append(QString::number(r));
        return (list.size() == 1 ? QStringLiteral("rank ") : QStringLiteral("ranks ")) +
               names.join(QStringLiteral(", "));
    }

    Error failed(const QString &what, const char *cause)
    {
        QString who;
        try {
            const QList<int> silent = silentRanks();
            who = silent.isEmpty()
                      ? QStringLiteral("every rank saw the failure (the network or a rank's error)")
                      : QStringLiteral("%1 stopped answering (exited, was killed or hung)").arg(ranks(silent));
        } catch (const std::exception &) {
            who = QStringLiteral("rank 0, which serves the rendezvous store at %1, is gone").arg(where());
        }
        return failure(QStringLiteral("distributed training stopped on rank %1 of %2: %3 failed: %4; %5. The other "
                                      "ranks stop too; continue from the last checkpoint with --resume")
                           .arg(launch.rank)
                           .arg(launch.worldSize)
                           .arg(what, who, QString::fromLocal8Bit(cause).trimmed().left(400)),
                       QStringLiteral("distributed"));
    }

    // Runs one collective on the process group; exceptions become the error above.
    template <typename Call>
    Result<void> collective(const QString &what, Call &&call)
    {
        try {
#ifdef DW_HAVE_NCCL
            if (nccl) {
                call(*nccl);
                return success();
            }
#endif
#ifdef DW_HAVE_GLOO
            call(*gloo);
            return success();
#else
            (void)call;
            return failure(QStringLiteral("this build has no c10d process group"));
#endif
        } catch (const std::exception &e) {
            return failed(what, e.what());
        }
    }

    template <typename Group>
    static void allreduce(Group &group, torch::Tensor &tensor)
    {
        std::vector<torch::Tensor> tensors{tensor};
        group.allreduce(tensors)->wait();
    }
    template <typename Group>
    static void broadcast(Group &group, torch::Tensor &tensor)
    {
        std::vector<torch::Tensor> tensors{tensor};
        c10d::BroadcastOptions options;
        options.rootRank = 0;
        group.broadcast(tensors, options)->wait();
    }

    Result<void> rendezvous();
    Result<void> createGroup(const QString &deviceName);
    Result<void> broadcastAll(const std::vector<torch::Tensor> &tensors, const QString &what);
};

Result<void> DistributedGroup::Impl::rendezvous()
{
    const bool server = launch.rank == 0 && !launch.storeServedByLauncher;
    try {
        c10d::TCPStoreOptions options;
        options.port = launch.masterPort;
        options.isServer = server;
        options.numWorkers = static_cast<std::size_t>(launch.worldSize);
        options.waitWorkers = false;  // arrivals are counted below, to name the missing ranks
        options.timeout = timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(launch.masterAddress.toStdString(), options);
        const QByteArray restart = qgetenv("TORCHELASTIC_RESTART_COUNT");
        store = c10::make_intrusive<c10d::PrefixStore>("deepwb/" + restart.toStdString(), tcp);
    } catch (const std::exception &e) {
        const QString cause = QString::fromLocal8Bit(e.what()).trimmed().left(300);
        if (server)
            return failure(QStringLiteral("rank 0 cannot open the rendezvous on %1: %2. If another program or an "
                                          "earlier run holds port %3, set MASTER_PORT to a free port (the same on "
                                          "every rank)")
                               .arg(where(), cause)
                               .arg(launch.masterPort),
                           QStringLiteral("MASTER_PORT"));
        return failure(QStringLiteral("rank %1 could not reach the rendezvous at %2 within %3 s: rank 0 never "
                                      "started it, or MASTER_ADDR/MASTER_PORT differ between ranks (%4)")
                           .arg(launch.rank)
                           .arg(where(), seconds(timeout), cause),
                       QStringLiteral("MASTER_ADDR"));
    }
    try {
        const std::string host = QHostInfo::localHostName().toStdString();
        store->set(key("arrived", launch.rank), std::vector<uint8_t>(host.begin(), host.end()));
        store->add("arrivals", 1);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (store->add("arrivals", 0) < launch.worldSize) {
            if (std::chrono::steady_clock::now() > deadline) {
                QList<int> missing;
                for (int r = 0; r < launch.worldSize; ++r) {
                    if (!store->check({key("arrived", r)}))
                        missing.append(r);
                }
                return failure(QStringLiteral("%1 never arrived at the rendezvous %2 within %3 s: check that all %4 "
                                              "processes were started with the same MASTER_ADDR, MASTER_PORT and "
                                              "world size")
                                   .arg(ranks(missing), where(), seconds(timeout))
                                   .arg(launch.worldSize),
                               QStringLiteral("distributed"));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    } catch (const std::exception &e) {
        return failure(QStringLiteral("the rendezvous at %1 broke off: %2; rank 0, which serves it, stopped")
                           .arg(where(), QString::fromLocal8Bit(e.what()).trimmed().left(300)),
                       QStringLiteral("distributed"));
    }
    return success();
}

Result<void> DistributedGroup::Impl::createGroup(const QString &deviceName)
{
    try {
        if (deviceName.startsWith(QLatin1String("cuda"))) {
#ifdef DW_HAVE_NCCL
            const int index = deviceName.contains(u':') ? deviceName.section(u':', 1).toInt() : launch.localRank;
            device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, launch.rank, launch.worldSize, options);
            return success();
#else
            // Without NCCL the gradients travel through Gloo on the CPU.
            device = torch::kCPU;
#endif
        }
#ifdef DW_HAVE_GLOO
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        const QByteArray interface = qgetenv("GLOO_SOCKET_IFNAME");
        if (!interface.isEmpty())
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface.toStdString()));
        else if (isLoopback(launch.masterAddress))
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 2;
        gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, launch.rank, launch.worldSize, options);
        return success();
#else
        return failure(QStringLiteral("this LibTorch has no c10d Gloo headers: distributed training needs Debian's "
                                      "libtorch-dev with libgloo-dev, or a LibTorch that ships gloo"),
                       QStringLiteral("distributed"));
#endif
    } catch (const std::exception &e) {
        return failed(QStringLiteral("setting up the process group"), e.what());
    }
}

Result<void> DistributedGroup::Impl::broadcastAll(const std::vector<torch::Tensor> &tensors, const QString &what)
{
    torch::NoGradGuard noGrad;
    for (const torch::Tensor &t : tensors) {
        torch::Tensor sent = t.detach().to(device).contiguous();
        if (Result<void> ok = collective(what, [&](auto &group) { broadcast(group, sent); }); !ok)
            return ok;
        if (!sent.is_same(t))
            t.detach().copy_(sent);
    }
    return success();
}

DistributedGroup::DistributedGroup(std::unique_ptr<Impl> impl) : m(std::move(impl))
{}

DistributedGroup::~DistributedGroup()
{
    deactivate();
}

Result<std::unique_ptr<DistributedGroup>> DistributedGroup::join(const DistributedLaunch &launch, const QString &device,
                                                                 std::chrono::milliseconds timeout)
{
    auto impl = std::make_unique<Impl>();
    impl->launch = launch;
    impl->timeout = timeout;
    if (Result<void> ok = impl->rendezvous(); !ok)
        return ok.error();
    if (Result<void> ok = impl->createGroup(device); !ok)
        return ok.error();
    return std::unique_ptr<DistributedGroup>(new DistributedGroup(std::move(impl)));
}

DistributedGroup *DistributedGroup::active()
{
    return g_active.load();
}

void DistributedGroup::activate()
{
    g_active.store(this);
}

void DistributedGroup::deactivate()
{
    DistributedGroup *self = this;
    g_active.compare_exchange_strong(self, nullptr);
}

const DistributedLaunch &DistributedGroup::launch() const
{
    return m->launch;
}

QString DistributedGroup::backend() const
{
#ifdef DW_HAVE_NCCL
    if (m->nccl)
        return QStringLiteral("nccl");
#endif
    return QStringLiteral("gloo");
}

Result<void> DistributedGroup::broadcastState(torch::nn::Module &network)
{
    std::vector<torch::Tensor> tensors = network.parameters();
    for (const torch::Tensor &b : network.buffers())
        tensors.push_back(b);
    return m->broadcastAll(tensors, QStringLiteral("sending rank 0's network"));
}

Result<void> DistributedGroup::broadcastBuffers(torch::nn::Module &network)
{
    return m->broadcastAll(network.buffers(), QStringLiteral("sending rank 0's batch-norm statistics"));
}

Result<void> DistributedGroup::averageGradients(const std::vector<torch::Tensor> &parameters)
{
    torch::NoGradGuard noGrad;
    std::size_t first = 0;
    while (first < parameters.size()) {
        // A bucket: consecutive gradients of one type, up to kBucketBytes.
        std::vector<torch::Tensor> grads;
        std::int64_t bytes = 0;
        std::size_t last = first;
        for (; last < parameters.size(); ++last) {
            torch::Tensor p = parameters[last];
            if (!p.grad().defined())
                p.mutable_grad() = torch::zeros_like(p);
            const torch::Tensor &g = p.grad();
            if (!grads.empty() && (g.scalar_type() != grads.front().scalar_type() ||
                                   bytes + g.numel() * static_cast<std::int64_t>(g.element_size()) > kBucketBytes))
                break;
            grads.push_back(g);
            bytes += g.numel() * static_cast<std::int64_t>(g.element_size());
        }
        std::vector<torch::Tensor> flat;
        for (const torch::Tensor &g : grads)
            flat.push_back(g.reshape({-1}));
        torch::Tensor bucket = torch::cat(flat).to(m->device);
        if (Result<void> ok = m->collective(QStringLiteral("the gradient all-reduce"),
                                            [&](auto &group) { Impl::allreduce(group, bucket); });
            !ok)
            return ok;
        bucket.div_(static_cast<double>(worldSize()));
        std::int64_t offset = 0;
        for (torch::Tensor &g : grads) {
            g.copy_(bucket.slice(0, offset, offset + g.numel()).view_as(g));
            offset += g.numel();
        }
        first = last;
    }
    return success();
}

Result<std::vector<double>> DistributedGroup::sum(const std::vector<double> &values)
{
    torch::Tensor t = torch::tensor(std::vector<double>(values), torch::kFloat64).to(m->device);
    if (Result<void> ok =
            m->collective(QStringLiteral("summing the metrics"), [&](auto &group) { Impl::allreduce(group, t); });
        !ok)
        return ok.error();
    t = t.to(torch::kCPU);
    return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

QString DistributedGroup::weightsDigest(torch::nn::Module &network)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&](const torch::Tensor &t) {
        const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
        hash.addData(QByteArrayView(static_cast<const char *>(c.data_ptr()), qsizetype(c.nbytes())));
    };
    for (const torch::Tensor &p : network.parameters())
        add(p);
    for (const torch::Tensor &b : network.buffers())
        add(b);
    return QString::fromLatin1(hash.result().toHex());
}

Result<void> DistributedGroup::checkSameWeights(torch::nn::Module &network)
{
    // Each rank puts the first 8 bytes of its digest in its own slot; the sum gathers them all.
    const QByteArray digest = QByteArray::fromHex(weightsDigest(network).toLatin1());
    std::int64_t mine = 0;
    std::memcpy(&mine, digest.constData(), sizeof mine);
    torch::Tensor digests = torch::zeros({worldSize()}, torch::kLong);
    digests[rank()] = mine;
    digests = digests.to(m->device);
    if (Result<void> ok = m->collective(QStringLiteral("comparing the weights"),
                                        [&](auto &group) { Impl::allreduce(group, digests); });
        !ok)
        return ok;
    digests = digests.to(torch::kCPU);
    QList<int> differ;
    for (int r = 1; r < worldSize(); ++r) {
        if (digests[r].item<std::int64_t>() != digests[0].item<std::int64_t>())
            differ.append(r);
    }
    if (!differ.isEmpty())
        return failure(QStringLiteral("after training, the weights of %1 differ from rank 0's: the ranks did not "
                                      "train the same network (report this with the command lines)")
                           .arg(Impl::ranks(differ)),
                       QStringLiteral("distributed"));
    return success();
}

}  // namespace dw::ml
