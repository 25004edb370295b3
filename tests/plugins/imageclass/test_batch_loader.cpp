// BatchLoader: every sample once per epoch, the same batches under the same seed with 1
// and 4 threads, unreadable files skipped and counted, a bounded queue, and prompt
// stopping when cancelled or destroyed mid-epoch.
#include "plugins/imageclass/data/batch_loader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <thread>

using namespace dw::imageclass;

namespace {

struct Epoch {
    std::vector<torch::Tensor> images, labels, indices;
    std::int64_t skipped = 0;
};

Epoch runEpoch(BatchLoader &loader, int epoch)
{
    Epoch result;
    loader.startEpoch(epoch);
    while (auto batch = loader.next()) {
        result.images.push_back(batch->images.contiguous());
        result.labels.push_back(batch->labels);
        result.indices.push_back(batch->indices);
    }
    result.skipped = loader.skippedCount();
    return result;
}

bool sameEpochs(const Epoch &a, const Epoch &b)
{
    if (a.images.size() != b.images.size())
        return false;
    for (std::size_t i = 0; i < a.images.size(); ++i) {
        if (!torch::equal(a.images[i], b.images[i]) || !torch::equal(a.labels[i], b.labels[i]) ||
            !torch::equal(a.indices[i], b.indices[i]))
            return false;
    }
    return true;
}

}  // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<ImageSample> m_samples;  // 23 images of 3 classes

    PipelineOptions pipelineOptions() const
    {
        PipelineOptions options;
        options.width = 8;
        options.height = 6;
        options.channels = 3;
        options.augmentation = AugmentationOptions::photo();
        options.augmentation.rotationDegrees = 20;
        options.augmentation.noiseProbability = 0.5;
        options.normalization = {{0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f}};
        return options;
    }

    std::unique_ptr<BatchLoader> loader(std::vector<ImageSample> samples, int threads, int batch = 5,
                                        bool channelsLast = false, int prefetch = 4) const
    {
        LoaderOptions options;
        options.batchSize = batch;
        options.threads = threads;
        options.seed = 2024;
        options.channelsLast = channelsLast;
        options.prefetch = prefetch;
        return std::make_unique<BatchLoader>(std::move(samples), ImagePipeline(pipelineOptions()), options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (int i = 0; i < 23; ++i) {
            const QString path = m_dir.filePath(QStringLiteral("img%1.png").arg(i));
            cv::Mat mat(10 + i % 4, 12, CV_8UC3);
            cv::randu(mat, cv::Scalar::all(0), cv::Scalar::all(255));
            QVERIFY(cv::imwrite(path.toStdString(), mat));
            m_samples.push_back({path, QFileInfo(path).fileName(), i % 3, 0, Subset::Train, {}});
        }
    }

    void everySampleOncePerEpoch()
    {
        auto l = loader(m_samples, 3);
        QCOMPARE(l->batchesPerEpoch(), 5);
        for (int epoch = 0; epoch < 2; ++epoch) {
            const Epoch e = runEpoch(*l, epoch);
            QCOMPARE(e.images.size(), std::size_t(5));
            std::vector<std::int64_t> seen;
            for (std::size_t b = 0; b < e.images.size(); ++b) {
                const torch::Tensor &images = e.images[b];
                QCOMPARE(images.dim(), 4);
                QCOMPARE(images.size(1), 3);
                QCOMPARE(images.size(2), 6);
                QCOMPARE(images.size(3), 8);
                QCOMPARE(images.scalar_type(), torch::kFloat32);
                QCOMPARE(e.labels[b].scalar_type(), torch::kInt64);
                QCOMPARE(images.size(0), e.labels[b].size(0));
                QCOMPARE(images.size(0), b < 4 ? 5 : 3);
                for (std::int64_t i = 0; i < e.indices[b].size(0); ++i) {
                    const std::int64_t index = e.indices[b][i].item<std::int64_t>();
                    seen.push_back(index);
                    QCOMPARE(e.labels[b][i].item<std::int64_t>(), std::int64_t(m_samples[std::size_t(index)].label));
                }
            }
            std::sort(seen.begin(), seen.end());
            std::vector<std::int64_t> all(m_samples.size());
            std::iota(all.begin(), all.end(), 0);
            QCOMPARE(seen, all);
            QCOMPARE(e.skipped, 0);
        }
        QVERIFY(l->epochOrder(0) != l->epochOrder(1));
    }

    void deterministicUnderSeed_data()
    {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("4 threads") << 4;
    }

    void deterministicUnderSeed()
    {
        QFETCH(int, threads);
        auto reference = loader(m_samples, 1);
        const Epoch expected = runEpoch(*reference, 3);
        auto l = loader(m_samples, threads);
        const Epoch first = runEpoch(*l, 3);
        const Epoch second = runEpoch(*l, 3);
        QVERIFY(sameEpochs(first, expected));
        QVERIFY(sameEpochs(second, expected));
        QVERIFY(!sameEpochs(runEpoch(*l, 4), expected));
    }

    void channelsLast()
    {
        auto planar = loader(m_samples, 2);
        auto interleaved = loader(m_samples, 2, 5, true);
        planar->startEpoch(0);
        interleaved->startEpoch(0);
        const auto a = planar->next();
        const auto b = interleaved->next();
        QVERIFY(a && b);
        QVERIFY(a->images.is_contiguous());
        QVERIFY(b->images.is_contiguous(at::MemoryFormat::ChannelsLast));
        QCOMPARE(b->images.sizes(), a->images.sizes());
        QVERIFY(torch::equal(a->images, b->images));
    }

    void skipsUnreadableImages()
    {
        std::vector<ImageSample> samples = m_samples;
        const QString broken = m_dir.filePath("broken.png");
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x89PNG\r\n\x1a\nthis is not the rest of a png");
        file.close();
        samples.push_back({broken, "broken.png", 1, 0, Subset::Train, {}});
        samples.push_back({m_dir.filePath("vanished.png"), "vanished.png", 2, 0, Subset::Train, {}});
        auto l = loader(samples, 2, 4);
        const Epoch e = runEpoch(*l, 0);
        std::int64_t delivered = 0;
        for (const torch::Tensor &labels : e.labels)
            delivered += labels.size(0);
        QCOMPARE(delivered, std::int64_t(m_samples.size()));
        QCOMPARE(e.skipped, 2);
        const auto skipped = l->skipped();
        QStringList paths;
        for (const SkippedSample &s : skipped)
            paths << QFileInfo(s.path).fileName() + ": " + s.reason;
        paths.sort();
        QVERIFY2(paths[0].startsWith("broken.png: ") && paths[1].contains("does not exist"),
                 qPrintable(paths.join('\n')));
        QVERIFY(l->error().isEmpty());
    }

    void batchOfOnlyUnreadableImagesIsPassedOver()
    {
        std::vector<ImageSample> samples;
        for (int i = 0; i < 3; ++i)
            samples.push_back({m_dir.filePath(QStringLiteral("missing%1.png").arg(i)), {}, 0, 0, Subset::Train, {}});
        samples.push_back(m_samples[0]);
        LoaderOptions options;
        options.batchSize = 3;
        options.shuffle = false;
        BatchLoader l(samples, ImagePipeline(pipelineOptions()), options);
        l.startEpoch(0);
        const auto batch = l.next();
        QVERIFY(batch);
        QCOMPARE(batch->number, 1);
        QCOMPARE(batch->size(), 1);
        QVERIFY(!l.next());
        QCOMPARE(l.skippedCount(), 3);
    }

    void queueIsBounded()
    {
        std::vector<ImageSample> many;
        for (int r = 0; r < 20; ++r)
            many.insert(many.end(), m_samples.begin(), m_samples.end());
        auto l = loader(many, 4, 2, false, 3);
        l->startEpoch(0);
        QTest::qWait(300);  // let the workers run ahead as far as they may
        QVERIFY(l->pendingBatches() <= 3);
        QVERIFY(l->pendingBatches() >= 1);
        std::int64_t batches = 0;
        while (l->next())
            ++batches;
        QCOMPARE(batches, l->batchesPerEpoch());
    }

    void stopsPromptly()
    {
        std::vector<ImageSample> many;
        for (int r = 0; r < 400; ++r)
            many.insert(many.end(), m_samples.begin(), m_samples.end());
        QElapsedTimer timer;
        {
            auto l = loader(many, 4, 16);
            l->startEpoch(0);
            QVERIFY(l->next());
            timer.start();
        }  // destroyed mid-epoch: stops and joins
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));

        auto l = loader(many, 2, 4096);  // a batch takes long to make
        l->startEpoch(0);
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            l->cancel();
        });
        timer.restart();
        const auto batch = l->next();  // waits, then returns when cancelled
        canceller.join();
        QVERIFY(!batch);
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
        timer.restart();
        l->stop();
        QVERIFY(timer.elapsed() < 1000);
    }

    void dropLastAndEvaluation()
    {
        LoaderOptions options;
        options.batchSize = 5;
        options.dropLast = true;
        options.augment = false;
        options.shuffle = false;
        options.threads = 2;
        BatchLoader l(m_samples, ImagePipeline(pipelineOptions()), options);
        QCOMPARE(l.batchesPerEpoch(), 4);
        const Epoch a = runEpoch(l, 0);
        const Epoch b = runEpoch(l, 7);  // no augmentation, no shuffle: epochs alike
        QCOMPARE(a.images.size(), std::size_t(4));
        QVERIFY(sameEpochs(a, b));
        QCOMPARE(a.indices[0][0].item<std::int64_t>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBatchLoader)
#include "test_batch_loader.moc"
