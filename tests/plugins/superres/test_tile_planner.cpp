// TilePlanner: the cores cover the region (and their outputs the output) exactly once, for
// odd sizes, regions and scales; windows are the cores grown by the overlap; mirrored
// positions and values at the raster's edges; rasters smaller than a tile; the errors.
#include "plugins/superres/infer/tile_planner.h"

#include <QTest>

using namespace dw;
using namespace dw::superres;

class TestTilePlanner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void coversExactlyOnce_data()
    {
        QTest::addColumn<QSize>("raster");
        QTest::addColumn<QRect>("roi");
        QTest::addColumn<int>("tile");
        QTest::addColumn<int>("overlap");
        QTest::addColumn<int>("scale");
        QTest::newRow("L7 size x2") << QSize(349, 352) << QRect() << 64 << 8 << 2;
        QTest::newRow("odd sizes x3") << QSize(101, 37) << QRect() << 32 << 5 << 3;
        QTest::newRow("exact multiple") << QSize(96, 96) << QRect() << 40 << 4 << 2;
        QTest::newRow("roi inside") << QSize(300, 200) << QRect(17, 33, 151, 99) << 48 << 6 << 2;
        QTest::newRow("roi at the corner") << QSize(300, 200) << QRect(250, 150, 50, 50) << 32 << 8 << 4;
        QTest::newRow("smaller than a tile") << QSize(7, 5) << QRect() << 128 << 8 << 2;
        QTest::newRow("no overlap") << QSize(50, 70) << QRect() << 16 << 0 << 6;
        QTest::newRow("one pixel wide roi") << QSize(20, 20) << QRect(3, 0, 1, 20) << 16 << 4 << 2;
    }
    void coversExactlyOnce()
    {
        QFETCH(QSize, raster);
        QFETCH(QRect, roi);
        QFETCH(int, tile);
        QFETCH(int, overlap);
        QFETCH(int, scale);
        const Result<SuperResTilePlan> plan = TilePlanner::plan(raster, roi, tile, overlap, scale);
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().text()));
        const QRect region = roi.isEmpty() ? QRect(QPoint(0, 0), raster) : roi;
        QCOMPARE(plan->roi, region);
        QCOMPARE(plan->outputSize, region.size() * scale);
        QVERIFY(plan->tileSize <= tile);

        std::vector<int> inputHits(size_t(region.width() * region.height()), 0);
        std::vector<int> outputHits(size_t(plan->outputSize.width() * plan->outputSize.height()), 0);
        int previousBottom = 0;
        for (const SuperResTileRow &row : plan->rows) {
            // Blocks of rows follow each other without gap, full width.
            QCOMPARE(row.outputRows.y(), previousBottom);
            QCOMPARE(row.outputRows.width(), plan->outputSize.width());
            previousBottom = row.outputRows.y() + row.outputRows.height();
            QVERIFY(QRect(QPoint(0, 0), raster).contains(row.source));
            for (const SuperResTile &t : row.tiles) {
                QCOMPARE(t.window.size(), QSize(plan->tileSize, plan->tileSize));
                QCOMPARE(t.window.topLeft(), t.core.topLeft() - QPoint(overlap, overlap));
                QVERIFY(t.window.contains(t.core.adjusted(-overlap, -overlap, overlap, overlap)));
                QCOMPARE(t.output.size(), t.core.size() * scale);
                QCOMPARE(t.coreInOutput(scale),
                         QRect(overlap * scale, overlap * scale, t.output.width(), t.output.height()));
                QVERIFY(row.outputRows.contains(t.output));
                // Every position of the window, mirrored, lies in the row's source.
                for (int y = t.window.top(); y <= t.window.bottom(); ++y)
                    for (int x = t.window.left(); x <= t.window.right(); x += 7)
                        QVERIFY(row.source.contains(TilePlanner::mirror(x, raster.width()),
                                                    TilePlanner::mirror(y, raster.height())));
                for (int y = t.core.top(); y <= t.core.bottom(); ++y)
                    for (int x = t.core.left(); x <= t.core.right(); ++x)
                        ++inputHits[size_t((y - region.y()) * region.width() + x - region.x())];
                for (int y = t.output.top(); y <= t.output.bottom(); ++y)
                    for (int x = t.output.left(); x <= t.output.right(); ++x)
                        ++outputHits[size_t(y * plan->outputSize.width() + x)];
            }
        }
        QCOMPARE(previousBottom, plan->outputSize.height());
        QVERIFY(std::all_of(inputHits.begin(), inputHits.end(), [](int n) { return n == 1; }));
        QVERIFY(std::all_of(outputHits.begin(), outputHits.end(), [](int n) { return n == 1; }));
    }

    void balancedCores()
    {
        // 100 columns at a step of 48 − 2·4 = 40: three cores of 34, 33, 33 (not 40, 40, 20).
        const auto plan = TilePlanner::plan(QSize(100, 10), {}, 48, 4, 2);
        QVERIFY(plan.ok());
        QCOMPARE(plan->rows.size(), size_t(1));
        QCOMPARE(plan->rows[0].tiles.size(), size_t(3));
        QCOMPARE(plan->rows[0].tiles[0].core.width(), 34);
        QCOMPARE(plan->rows[0].tiles[2].core.width(), 33);
        // The region is only 10 rows high but 100 wide: windows stay at the tile size asked.
        QCOMPARE(plan->tileSize, 48);
    }

    void smallRasterIsOneMirroredTile()
    {
        const auto plan = TilePlanner::plan(QSize(7, 5), {}, 128, 8, 2);
        QVERIFY(plan.ok());
        QCOMPARE(plan->tileCount(), 1);
        QCOMPARE(plan->tileSize, 7 + 16);  // shrunk: no need to mirror up to 128
        QCOMPARE(plan->rows[0].source, QRect(0, 0, 7, 5));
    }

    void mirrorPositions_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("expected");
        QTest::newRow("inside") << 3 << 5 << 3;
        QTest::newRow("-1") << -1 << 5 << 1;
        QTest::newRow("-4") << -4 << 5 << 4;
        QTest::newRow("size") << 5 << 5 << 3;
        QTest::newRow("size+3") << 8 << 5 << 0;
        QTest::newRow("folds twice") << -9 << 5 << 1;  // −9 → 9 → 8 − (9 − 8)... period 8: 7 → 1
        QTest::newRow("far right") << 13 << 5 << 3;    // 13 mod 8 = 5 → 3
        QTest::newRow("size 2") << -1 << 2 << 1;
        QTest::newRow("size 2 right") << 3 << 2 << 1;
        QTest::newRow("size 1") << -5 << 1 << 0;
    }
    void mirrorPositions()
    {
        QFETCH(int, index);
        QFETCH(int, size);
        QFETCH(int, expected);
        QCOMPARE(TilePlanner::mirror(index, size), expected);
    }

    void extractMirrorsValuesAndMask()
    {
        // A 4 × 3 raster holding 10·y + x, band 1 its negative; pixel (0, 0) is nodata.
        RasterBuffer raster = RasterBuffer::zeros(4, 3, 2);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x) {
                raster.at(0, x, y) = float(10 * y + x);
                raster.at(1, x, y) = -float(10 * y + x);
            }
        raster.valid.assign(12, 1);
        raster.valid[0] = 0;
        const RasterBuffer tile = TilePlanner::extract(raster, QRect(0, 0, 4, 3), QRect(-2, -1, 8, 5), QSize(4, 3));
        QCOMPARE(tile.width, 8);
        QCOMPARE(tile.height, 5);
        // Row −1 mirrors row 1; column −2 mirrors column 2, column 4 column 2, column 5 column 1.
        const float expectedRow0[] = {12, 11, 10, 11, 12, 13, 12, 11};
        for (int i = 0; i < 8; ++i)
            QCOMPARE(tile.at(0, i, 0), expectedRow0[i]);
        QCOMPARE(tile.at(0, 2, 1), 0.0f);   // (0, 0)
        QCOMPARE(tile.at(0, 5, 3), 23.0f);  // (3, 2)
        QCOMPARE(tile.at(0, 5, 4), 13.0f);  // row 3 mirrors row 1
        QCOMPARE(tile.at(1, 7, 4), -11.0f);
        QVERIFY(!tile.isValid(2, 1));                                                // (0, 0)
        QCOMPARE(std::count(tile.valid.begin(), tile.valid.end(), uint8_t(0)), 1L);  // (0, 0) appears once
        // A source that is only part of the raster: positions are taken relative to it.
        RasterBuffer part = RasterBuffer::zeros(2, 3, 1);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 2; ++x)
                part.at(0, x, y) = float(10 * y + x + 2);  // raster columns 2 and 3
        const RasterBuffer right = TilePlanner::extract(part, QRect(2, 0, 2, 3), QRect(2, 0, 3, 1), QSize(4, 3));
        QCOMPARE(right.at(0, 0, 0), 2.0f);
        QCOMPARE(right.at(0, 2, 0), 2.0f);  // column 4 mirrors column 2
    }

    void errors()
    {
        const auto tiny = TilePlanner::plan(QSize(2, 50), {}, 64, 8, 2);
        QVERIFY(!tiny.ok());
        QVERIFY(tiny.error().message.contains(QStringLiteral("2 × 50")));
        QVERIFY(tiny.error().message.contains(QStringLiteral("3 × 3")));
        const auto outside = TilePlanner::plan(QSize(100, 100), QRect(90, 90, 20, 5), 64, 8, 2);
        QVERIFY(!outside.ok());
        QCOMPARE(outside.error().field, QStringLiteral("roi"));
        QVERIFY(!TilePlanner::plan(QSize(100, 100), {}, 16, 8, 2).ok());  // no core left
        QVERIFY(!TilePlanner::plan(QSize(100, 100), {}, 64, 8, 0).ok());
    }
};

QTEST_GUILESS_MAIN(TestTilePlanner)
#include "test_tile_planner.moc"
