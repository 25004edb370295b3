// SelfEnsemble: each of the eight flips/rotations is undone by its inverse (values and mask),
// the transforms are the ones named (mirror x, mirror y, transpose), and a network that does
// not care about orientation (nearest upsampling) gives the same tiles with 1, 2, 4 or 8
// views, while one that does (adds x) is averaged over the views.
#include "plugins/superres/infer/self_ensemble.h"

#include <QTest>

using namespace dw;
using namespace dw::superres;

namespace {

RasterBuffer numbered(int size, int bands)
{
    RasterBuffer b = RasterBuffer::zeros(size, size, bands);
    for (int k = 0; k < bands; ++k)
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x)
                b.at(k, x, y) = float(1000 * k + 10 * y + x);
    b.valid.assign(b.planeSize(), 1);
    b.valid[1] = 0;  // (1, 0)
    return b;
}

TiledSuperResolver::RunBatch upsampling(bool addX)
{
    return [addX](const std::vector<RasterBuffer> &tiles) -> Result<std::vector<RasterBuffer>> {
        std::vector<RasterBuffer> out;
        for (const RasterBuffer &t : tiles) {
            RasterBuffer o = RasterBuffer::zeros(t.width * 2, t.height * 2, t.bands);
            for (int b = 0; b < t.bands; ++b)
                for (int y = 0; y < o.height; ++y)
                    for (int x = 0; x < o.width; ++x)
                        o.at(b, x, y) = t.at(b, x / 2, y / 2) + (addX ? float(x) : 0.0f);
            out.push_back(o);
        }
        return out;
    };
}

}  // namespace

class TestSelfEnsemble : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void transformsAndInverses()
    {
        const RasterBuffer tile = numbered(5, 2);
        for (int t = 0; t < 8; ++t) {
            const RasterBuffer back = SelfEnsemble::invert(SelfEnsemble::apply(tile, t), t);
            QCOMPARE(back.values, tile.values);
            QCOMPARE(back.valid, tile.valid);
        }
        QCOMPARE(SelfEnsemble::apply(tile, 1).at(0, 0, 0), tile.at(0, 4, 0));  // mirror x
        QCOMPARE(SelfEnsemble::apply(tile, 2).at(0, 0, 0), tile.at(0, 0, 4));  // mirror y
        QCOMPARE(SelfEnsemble::apply(tile, 4).at(1, 3, 1), tile.at(1, 1, 3));  // transpose
        QCOMPARE(SelfEnsemble::apply(tile, 4).valid[5], uint8_t(0));           // (1, 0) → (0, 1)
        QCOMPARE(SelfEnsemble::apply(tile, 5).at(0, 0, 0), tile.at(0, 4, 0));  // mirror x, then transpose
        QCOMPARE(SelfEnsemble::apply(tile, 5).at(0, 1, 0), tile.at(0, 4, 1));
    }

    void averagesTheViews()
    {
        const std::vector<RasterBuffer> tiles{numbered(6, 1), numbered(6, 1)};
        const auto plain = upsampling(false)(tiles);
        for (int views : {2, 4, 8}) {
            const auto ensemble = SelfEnsemble::wrap(upsampling(false), views)(tiles);
            QVERIFY(ensemble.ok());
            QCOMPARE(ensemble->size(), size_t(2));
            QCOMPARE((*ensemble)[1].values, (*plain)[1].values);
        }
        // A network that adds x: mirrored views add 11 − x, so two views add 5.5 everywhere
        // (on top of the upsampled tile); eight views too (transposed ones add y or 11 − y).
        for (int views : {2, 8}) {
            const auto ensemble = SelfEnsemble::wrap(upsampling(true), views)(tiles);
            QVERIFY(ensemble.ok());
            for (int y = 0; y < 12; ++y)
                for (int x = 0; x < 12; ++x)
                    QCOMPARE((*ensemble)[0].at(0, x, y), (*plain)[0].at(0, x, y) + 5.5f);
        }
    }
};

QTEST_GUILESS_MAIN(TestSelfEnsemble)
#include "test_self_ensemble.moc"
