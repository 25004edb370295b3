#include "plugins/imageclass/data/batch_loader.h"

#include "plugins/imageclass/data/seeded_rng.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

namespace dw::imageclass {

BatchLoader::BatchLoader(std::vector<ImageSample> samples, ImagePipeline pipeline, LoaderOptions options)
    : m_samples(std::move(samples)), m_pipeline(std::move(pipeline)), m_options(options)
{
    m_options.batchSize = std::max(1, m_options.batchSize);
    m_options.threads = std::max(1, m_options.threads);
    m_options.prefetch = std::max(1, m_options.prefetch);
    if (m_options.pinMemory) {
        try {
            m_pin = torch::cuda::is_available();
        } catch (const std::exception &) {
            m_pin = false;
        }
    }
}

BatchLoader::~BatchLoader()
{
    stop();
}

std::int64_t BatchLoader::batchesPerEpoch() const
{
    const auto n = static_cast<std::int64_t>(m_options.shard.sizeOf(static_cast<qint64>(m_samples.size())));
    const std::int64_t b = m_options.batchSize;
    return m_options.dropLast ? n / b : (n + b - 1) / b;
}

std::vector<std::int64_t> BatchLoader::epochOrder(int epoch) const
{
    std::vector<std::int64_t> order(m_samples.size());
    std::iota(order.begin(), order.end(), 0);
    if (m_options.shuffle) {
        SeededRng rng(SeededRng::derive(m_options.seed, static_cast<std::uint64_t>(epoch), 0xE70C));
        rng.shuffle(order);
    }
    return m_options.shard.of(order);
}

std::uint64_t BatchLoader::sampleSeed(int epoch, std::int64_t position) const
{
    return SeededRng::derive(m_options.seed ^ 0xA5A5A5A5ull, static_cast<std::uint64_t>(epoch),
                             static_cast<std::uint64_t>(position) + 1);
}

void BatchLoader::startEpoch(int epoch)
{
    stop();
    {
        const std::lock_guard lock(m_mutex);
        m_order = epochOrder(epoch);
        m_epoch = epoch;
        m_batches = batchesPerEpoch();
        m_nextClaim = 0;
        m_nextDeliver = 0;
        m_ready.clear();
        m_skipped.clear();
        m_error.clear();
        m_stop = false;
    }
    const int threads =
        static_cast<int>(std::min<std::int64_t>(m_options.threads, std::max<std::int64_t>(1, m_batches)));
    for (int t = 0; t < threads; ++t)
        m_workers.emplace_back([this] { work(); });
}

void BatchLoader::cancel()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
}

void BatchLoader::stop()
{
    cancel();
    for (std::thread &worker : m_workers)
        worker.join();
    m_workers.clear();
}

std::optional<Batch> BatchLoader::next()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stop || m_nextDeliver >= m_batches)
            return std::nullopt;
        m_changed.wait(lock, [this] { return m_stop || m_ready.count(m_nextDeliver) > 0; });
        if (m_stop)
            return std::nullopt;
        auto node = m_ready.extract(m_nextDeliver);
        ++m_nextDeliver;
        lock.unlock();
        m_changed.notify_all();  // room for one more batch
        if (node.mapped().size() > 0)
            return std::move(node.mapped());
        lock.lock();  // every image of that batch was unreadable: go on with the next
    }
}

void BatchLoader::work()
{
    for (;;) {
        std::int64_t number = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] {
                return m_stop || m_nextClaim >= m_batches || m_nextClaim < m_nextDeliver + m_options.prefetch;
            });
            if (m_stop || m_nextClaim >= m_batches)
                return;
            number = m_nextClaim++;
        }
        std::optional<Batch> batch;
        try {
            batch = makeBatch(number);
        } catch (const std::exception &e) {
            const std::lock_guard lock(m_mutex);
            if (m_error.isEmpty())
                m_error =
                    QStringLiteral("making batch %1 failed: %2").arg(number).arg(QString::fromLocal8Bit(e.what()));
            m_stop = true;
        }
        if (!batch) {
            m_changed.notify_all();
            return;
        }
        {
            const std::lock_guard lock(m_mutex);
            m_ready.emplace(number, std::move(*batch));
        }
        m_changed.notify_all();
    }
}

std::optional<Batch> BatchLoader::makeBatch(std::int64_t number)
{
    const PipelineOptions &p = m_pipeline.options();
    const std::int64_t begin = number * m_options.batchSize;
    const std::int64_t end =
        std::min<std::int64_t>(begin + m_options.batchSize, static_cast<std::int64_t>(m_order.size()));
    const std::int64_t count = end - begin;
    const std::int64_t h = p.height, w = p.width, c = p.channels;

    auto floats = torch::TensorOptions().dtype(torch::kFloat32);
    auto longs = torch::TensorOptions().dtype(torch::kInt64);
    if (m_pin) {
        floats = floats.pinned_memory(true);
        longs = longs.pinned_memory(true);
    }
    torch::Tensor buffer =
        m_options.channelsLast ? torch::empty({count, h, w, c}, floats) : torch::empty({count, c, h, w}, floats);
    torch::Tensor labels = torch::empty({count}, longs);
    torch::Tensor indices = torch::empty({count}, longs);
    float *pixels = buffer.data_ptr<float>();
    std::int64_t *labelData = labels.data_ptr<std::int64_t>();
    std::int64_t *indexData = indices.data_ptr<std::int64_t>();
    const std::int64_t plane = h * w;

    std::int64_t k = 0;
    int skipped = 0;
    for (std::int64_t i = begin; i < end; ++i) {
        if (m_stop.load(std::memory_order_relaxed))
            return std::nullopt;
        const std::int64_t position = m_order[static_cast<std::size_t>(i)];
        const ImageSample &sample = m_samples[static_cast<std::size_t>(position)];
        Result<cv::Mat> image = Error{};
        try {
            image = m_pipeline.load(sample.path, m_options.augment, sampleSeed(m_epoch, position));
        } catch (const std::exception &e) {
            image = Error::at(sample.path, QString::fromLocal8Bit(e.what()));
        }
        if (!image) {
            ++skipped;
            const std::lock_guard lock(m_mutex);
            m_skipped.push_back({position, sample.path, image.error().message});
            continue;
        }
        cv::Mat mat = *image;
        if (!mat.isContinuous())
            mat = mat.clone();
        float *slot = pixels + k * plane * c;
        if (m_options.channelsLast) {
            std::memcpy(slot, mat.ptr<float>(), static_cast<std::size_t>(plane * c) * sizeof(float));
        } else {
            std::vector<cv::Mat> planes;
            planes.reserve(static_cast<std::size_t>(c));
            for (std::int64_t ch = 0; ch < c; ++ch)
                planes.emplace_back(static_cast<int>(h), static_cast<int>(w), CV_32F, slot + ch * plane);
            cv::split(mat, planes);
        }
        labelData[k] = sample.label;
        indexData[k] = position;
        ++k;
    }

    Batch batch;
    batch.number = number;
    batch.skipped = skipped;
    torch::Tensor used = k < count ? buffer.narrow(0, 0, k) : buffer;
    batch.images = m_options.channelsLast ? used.permute({0, 3, 1, 2}) : used;
    batch.labels = k < count ? labels.narrow(0, 0, k) : labels;
    batch.indices = k < count ? indices.narrow(0, 0, k) : indices;
    return batch;
}

std::int64_t BatchLoader::pendingBatches() const
{
    const std::lock_guard lock(m_mutex);
    return m_nextClaim - m_nextDeliver;
}

std::int64_t BatchLoader::skippedCount() const
{
    const std::lock_guard lock(m_mutex);
    return static_cast<std::int64_t>(m_skipped.size());
}

std::vector<SkippedSample> BatchLoader::skipped() const
{
    const std::lock_guard lock(m_mutex);
    return m_skipped;
}

QString BatchLoader::error() const
{
    const std::lock_guard lock(m_mutex);
    return m_error;
}

}  // namespace dw::imageclass
