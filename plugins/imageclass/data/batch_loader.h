#pragma once
// Feeds training and evaluation: decodes and transforms images on worker threads and
// keeps a bounded queue of ready batches, so that the model never waits on the disk and
// memory stays bounded. Deterministic under a seed whatever the threads do: the epoch's
// order comes from (seed, epoch), each sample's augmentation from (seed, epoch, sample),
// and batches are delivered in order. Unreadable images are skipped and counted, never
// ending the epoch. The destructor stops and joins the workers.
//
// next(), startEpoch() and stop() belong to one consumer thread; cancel() may be called
// from any thread and makes a waiting next() return at once.
#include "core/ml/distributed_shard.h"
#include "plugins/imageclass/data/batch.h"
#include "plugins/imageclass/data/image_pipeline.h"
#include "plugins/imageclass/data/image_sample.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dw::imageclass {

struct LoaderOptions {
    int batchSize = 64;
    int threads = 2;   // decoding threads
    int prefetch = 4;  // batches being made or waiting, at most
    bool shuffle = true;
    bool augment = true;    // training transforms; false: evaluation transforms
    bool dropLast = false;  // drop a last, smaller batch
    std::uint64_t seed = 0;
    bool channelsLast = false;
    bool pinMemory = false;  // page-locked batches for fast copies to the GPU (only with CUDA)
    // A distributed run: this rank's share of every epoch's (shuffled) order.
    ml::DistributedShard shard;
};

struct SkippedSample {
    std::int64_t position = -1;
    QString path;
    QString reason;
};

class BatchLoader {
public:
    BatchLoader(std::vector<ImageSample> samples, ImagePipeline pipeline, LoaderOptions options);
    ~BatchLoader();
    BatchLoader(const BatchLoader &) = delete;
    BatchLoader &operator=(const BatchLoader &) = delete;

    // Starts making the batches of an epoch (stopping any epoch still running).
    void startEpoch(int epoch);
    // The next batch in order; nullopt at the end of the epoch, after cancel()/stop(),
    // or on an error (see error()). Blocks while the batch is being made.
    std::optional<Batch> next();
    void cancel();
    void stop();  // cancel() and join the workers

    std::int64_t size() const { return static_cast<std::int64_t>(m_samples.size()); }
    std::int64_t batchesPerEpoch() const;
    const ImageSample &sample(std::int64_t position) const { return m_samples[static_cast<std::size_t>(position)]; }
    const ImagePipeline &pipeline() const { return m_pipeline; }
    const LoaderOptions &options() const { return m_options; }

    // The order in which an epoch visits the samples, and a sample's augmentation seed.
    std::vector<std::int64_t> epochOrder(int epoch) const;
    std::uint64_t sampleSeed(int epoch, std::int64_t position) const;

    // Batches claimed by a worker and not yet handed out: never more than prefetch.
    std::int64_t pendingBatches() const;

    // Of the current epoch so far.
    std::int64_t skippedCount() const;
    std::vector<SkippedSample> skipped() const;
    QString error() const;  // a failure that ended the epoch early (memory), else empty

private:
    void work();
    std::optional<Batch> makeBatch(std::int64_t number);

    const std::vector<ImageSample> m_samples;
    const ImagePipeline m_pipeline;
    LoaderOptions m_options;
    bool m_pin = false;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::atomic_bool m_stop{false};
    std::vector<std::int64_t> m_order;
    int m_epoch = 0;
    std::int64_t m_batches = 0;
    std::int64_t m_nextClaim = 0;
    std::int64_t m_nextDeliver = 0;
    std::map<std::int64_t, Batch> m_ready;
    std::vector<SkippedSample> m_skipped;
    QString m_error;
    std::vector<std::thread> m_workers;
};

}  // namespace dw::imageclass
