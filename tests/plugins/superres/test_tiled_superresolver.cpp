// TiledSuperResolver with a stand-in network (nearest-neighbour upsampling plus a band
// offset): every output pixel lands where it belongs for odd sizes, regions and scales;
// nodata is masked in and restored out; tiles without valid pixels skip the network; the
// original bands follow; memory does not grow with the raster; cancellation stops between
// blocks; a network that returns the wrong shape is an error.
#include "plugins/superres/infer/tiled_superresolver.h"

#include <QTest>

#include <atomic>
#include <cmath>

using namespace dw;
using namespace dw::superres;

namespace {

// The value of band b at raster pixel (x, y): distinct everywhere.
float valueAt(int b, int x, int y)
{
    return float(b * 100000 + y * 300 + x);
}

// A raster that exists only as a function; (x, y) is nodata where hole(x, y).
struct VirtualRaster {
    QSize size;
    int bands = 2;
    std::function<bool(int, int)> hole{};
    int reads = 0;

    TiledSuperResolver::ReadWindow reader()
    {
        return [this](const QRect &w) -> Result<RasterBuffer> {
            ++reads;
            if (!QRect(QPoint(0, 0), size).contains(w))
                return failure(QStringLiteral("read outside the raster"));
            RasterBuffer buf = RasterBuffer::zeros(w.width(), w.height(), bands);
            if (hole)
                buf.valid.assign(buf.planeSize(), 1);
            for (int y = 0; y < w.height(); ++y)
                for (int x = 0; x < w.width(); ++x) {
                    const bool invalid = hole && hole(w.x() + x, w.y() + y);
                    for (int b = 0; b < bands; ++b)
                        buf.at(b, x, y) = invalid ? 0.0f : valueAt(b, w.x() + x, w.y() + y);
                    if (invalid)
                        buf.valid[size_t(y * w.width() + x)] = 0;
                }
            return buf;
        };
    }
};

// Nearest upsampling plus 0.5: the output at (X, Y) is the input at (X / s, Y / s) + 0.5.
TiledSuperResolver::RunBatch nearestNetwork(int scale, int *calls = nullptr)
{
    return [scale, calls](const std::vector<RasterBuffer> &tiles) -> Result<std::vector<RasterBuffer>> {
        if (calls)
            ++*calls;
        std::vector<RasterBuffer> out;
        for (const RasterBuffer &t : tiles) {
            RasterBuffer o = RasterBuffer::zeros(t.width * scale, t.height * scale, t.bands);
            for (int b = 0; b < t.bands; ++b)
                for (int y = 0; y < o.height; ++y)
                    for (int x = 0; x < o.width; ++x)
                        o.at(b, x, y) = t.at(b, x / scale, y / scale) + 0.5f;
            out.push_back(std::move(o));
        }
        return out;
    };
}

struct Collected {
    RasterBuffer output;
    int blocks = 0;
    int maxBlockHeight = 0;
    TiledSuperResolver::WriteBlock writer()
    {
        return [this](const QRect &w, const RasterBuffer &block) -> Result<void> {
            if (block.width != w.width() || block.height != w.height())
                return failure(QStringLiteral("block and window differ"));
            ++blocks;
            maxBlockHeight = std::max(maxBlockHeight, w.height());
            if (output.bands == 0) {
                output = RasterBuffer::zeros(w.width(), 0, block.bands);
                output.values.clear();
            }
            // Append rows band by band: rebuild (tests only hold small outputs).
            RasterBuffer grown = RasterBuffer::zeros(w.width(), output.height + w.height(), block.bands);
            for (int b = 0; b < block.bands; ++b) {
                std::copy(output.band(b), output.band(b) + output.planeSize(), grown.band(b));
                std::copy(block.band(b), block.band(b) + block.planeSize(), grown.band(b) + output.planeSize());
            }
            if (!block.valid.empty()) {
                grown.valid = output.valid;
                grown.valid.resize(output.planeSize(), 1);
                grown.valid.insert(grown.valid.end(), block.valid.begin(), block.valid.end());
            }
            output = std::move(grown);
            return success();
        };
    }
};

}  // namespace

class TestTiledSuperResolver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyPixelInPlace_data()
    {
        QTest::addColumn<QSize>("raster");
        QTest::addColumn<QRect>("roi");
        QTest::addColumn<int>("tile");
        QTest::addColumn<int>("overlap");
        QTest::addColumn<int>("scale");
        QTest::addColumn<int>("batch");
        QTest::newRow("odd x2") << QSize(131, 77) << QRect() << 40 << 6 << 2 << 3;
        QTest::newRow("roi x3") << QSize(90, 90) << QRect(11, 23, 45, 37) << 24 << 4 << 3 << 2;
        QTest::newRow("smaller than a tile") << QSize(9, 6) << QRect() << 64 << 8 << 2 << 8;
        QTest::newRow("batch of one x6") << QSize(30, 41) << QRect() << 20 << 2 << 6 << 1;
    }
    void everyPixelInPlace()
    {
        QFETCH(QSize, raster);
        QFETCH(QRect, roi);
        QFETCH(int, tile);
        QFETCH(int, overlap);
        QFETCH(int, scale);
        QFETCH(int, batch);
        VirtualRaster source{raster};
        Collected sink;
        TiledSuperResolver resolver({scale, tile, overlap, batch, roi});
        JobContext context;
        const auto stats = resolver.run(raster, source.reader(), nearestNetwork(scale), sink.writer(), context);
        QVERIFY2(stats.ok(), stats.ok() ? "" : qPrintable(stats.error().text()));
        const QRect region = roi.isEmpty() ? QRect(QPoint(0, 0), raster) : roi;
        QCOMPARE(sink.output.width, region.width() * scale);
        QCOMPARE(sink.output.height, region.height() * scale);
        QCOMPARE(stats->outputSize, region.size() * scale);
        QCOMPARE(stats->networkTiles, stats->tiles);
        QCOMPARE(sink.blocks, stats->rowBlocks);
        QCOMPARE(source.reads, stats->rowBlocks);  // one read per row of tiles
        QVERIFY(sink.output.valid.empty());
        for (int b = 0; b < 2; ++b)
            for (int y = 0; y < sink.output.height; ++y)
                for (int x = 0; x < sink.output.width; ++x)
                    if (sink.output.at(b, x, y) != valueAt(b, region.x() + x / scale, region.y() + y / scale) + 0.5f)
                        QFAIL(qPrintable(QStringLiteral("band %1 output (%2, %3): %4")
                                             .arg(b)
                                             .arg(x)
                                             .arg(y)
                                             .arg(sink.output.at(b, x, y))));
    }

    void nodataMaskedInAndOut()
    {
        // A hole in the middle and a whole region of nodata at the left (its tiles skip the network).
        VirtualRaster source{QSize(100, 60), 2, [](int x, int y) { return x < 40 || (x == 70 && y == 30); }};
        Collected sink;
        int calls = 0;
        bool sawOnlyFilledValues = true;
        auto network = [&](const std::vector<RasterBuffer> &tiles) {
            for (const RasterBuffer &t : tiles)
                for (size_t i = 0; i < t.planeSize(); ++i)
                    if (!t.isValid(int(i % size_t(t.width)), int(i / size_t(t.width))) && t.band(0)[i] == 0.0f)
                        sawOnlyFilledValues = false;  // nodata must arrive filled, not as 0
            return nearestNetwork(2, &calls)(tiles);
        };
        TiledSuperResolver resolver({2, 24, 4, 4});
        JobContext context;
        const auto stats = resolver.run(source.size, source.reader(), network, sink.writer(), context);
        QVERIFY(stats.ok());
        QVERIFY(sawOnlyFilledValues);
        QVERIFY(stats->networkTiles < stats->tiles);
        QVERIFY(!sink.output.valid.empty());
        for (int y = 0; y < 120; ++y)
            for (int x = 0; x < 200; ++x) {
                const bool hole = x / 2 < 40 || (x / 2 == 70 && y / 2 == 30);
                QCOMPARE(sink.output.isValid(x, y), !hole);
                if (hole)
                    QCOMPARE(sink.output.at(1, x, y), 0.0f);
                else
                    QCOMPARE(sink.output.at(1, x, y), valueAt(1, x / 2, y / 2) + 0.5f);
            }
    }

    void originalBandsFollow()
    {
        VirtualRaster source{QSize(37, 29)};
        Collected sink;
        TiledSuperResolutionOptions options{2, 16, 3, 4};
        options.originals = OriginalBands::Nearest;
        JobContext context;
        QVERIFY(TiledSuperResolver(options)
                    .run(source.size, source.reader(), nearestNetwork(2), sink.writer(), context)
                    .ok());
        QCOMPARE(sink.output.bands, 4);
        for (int y = 0; y < 58; y += 3)
            for (int x = 0; x < 74; x += 5) {
                QCOMPARE(sink.output.at(2, x, y), valueAt(0, x / 2, y / 2));
                QCOMPARE(sink.output.at(3, x, y), valueAt(1, x / 2, y / 2));
            }
        // Bicubic copies of a smooth ramp stay close to it (inside the raster, away from edges).
        Collected cubic;
        options.originals = OriginalBands::Bicubic;
        QVERIFY(TiledSuperResolver(options)
                    .run(source.size, source.reader(), nearestNetwork(2), cubic.writer(), context)
                    .ok());
        QVERIFY(std::abs(cubic.output.at(2, 20, 20) - (valueAt(0, 10, 10) + 0.0f)) < 300.0f);
    }

    void memoryDoesNotGrowWithTheRaster()
    {
        JobContext context;
        qint64 peaks[2] = {0, 0};
        const QSize sizes[2] = {QSize(300, 200), QSize(300, 2000)};
        for (int i = 0; i < 2; ++i) {
            VirtualRaster source{sizes[i]};
            int blocks = 0;
            auto discard = [&](const QRect &, const RasterBuffer &block) -> Result<void> {
                ++blocks;
                return block.height <= (64 - 2 * 8) * 2 ? success() : failure(QStringLiteral("block too tall"));
            };
            const auto stats =
                TiledSuperResolver({2, 64, 8, 4}).run(sizes[i], source.reader(), nearestNetwork(2), discard, context);
            QVERIFY(stats.ok());
            peaks[i] = stats->peakBufferedValues;
            QVERIFY(blocks > 1);
        }
        // Ten times the rows, the same buffers (core heights differ by a few rows: balanced cores).
        QVERIFY2(peaks[1] < peaks[0] * 11 / 10, qPrintable(QStringLiteral("%1 vs %2").arg(peaks[1]).arg(peaks[0])));
    }

    void cancelStopsBetweenBlocks()
    {
        std::atomic_bool cancel{false};
        JobContext context(QStringLiteral("job"), &cancel, {});
        VirtualRaster source{QSize(200, 200)};
        int blocks = 0;
        auto write = [&](const QRect &, const RasterBuffer &) -> Result<void> {
            if (++blocks == 1)
                cancel = true;
            return success();
        };
        const auto stats =
            TiledSuperResolver({2, 40, 4, 4}).run(source.size, source.reader(), nearestNetwork(2), write, context);
        QVERIFY(!stats.ok());
        QCOMPARE(stats.error().message, QStringLiteral("cancelled"));
        QCOMPARE(blocks, 1);
    }

    void errorsFromTheParts()
    {
        JobContext context;
        VirtualRaster source{QSize(50, 50)};
        auto ignore = [](const QRect &, const RasterBuffer &) -> Result<void> { return success(); };
        auto wrongSize = [](const std::vector<RasterBuffer> &tiles) -> Result<std::vector<RasterBuffer>> {
            return std::vector<RasterBuffer>(tiles.size(), RasterBuffer::zeros(3, 3, 2));
        };
        const auto badNetwork =
            TiledSuperResolver({2, 32, 4, 4}).run(source.size, source.reader(), wrongSize, ignore, context);
        QVERIFY(!badNetwork.ok());
        QVERIFY(badNetwork.error().message.contains(QStringLiteral("3 × 3")));
        auto failingWrite = [](const QRect &, const RasterBuffer &) -> Result<void> {
            return failure(QStringLiteral("disk full"));
        };
        const auto badWrite = TiledSuperResolver({2, 32, 4, 4})
                                  .run(source.size, source.reader(), nearestNetwork(2), failingWrite, context);
        QVERIFY(!badWrite.ok());
        QCOMPARE(badWrite.error().message, QStringLiteral("disk full"));
        const auto tooSmall =
            TiledSuperResolver({2, 32, 4, 4}).run(QSize(2, 2), source.reader(), nearestNetwork(2), ignore, context);
        QVERIFY(!tooSmall.ok());
    }
};

QTEST_GUILESS_MAIN(TestTiledSuperResolver)
#include "test_tiled_superresolver.moc"
