// Dihedral views of square tiles, through the network in one batch, turned back and averaged.
#include "plugins/superres/infer/self_ensemble.h"

#include "plugins/superres/data/dihedral.h"

#include <utility>

namespace dw::superres {

namespace {

// out(x, y) = in(source(x, y)) for every band and the mask.
// With a channel map, out band b comes from in band channel(b) (packed guides).
template <class Source, class Channel>
RasterBuffer remap(const RasterBuffer &in, Source source, Channel channel)
{
    RasterBuffer out = RasterBuffer::zeros(in.width, in.height, in.bands);
    if (!in.valid.empty())
        out.valid.resize(out.planeSize());
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            const auto [sx, sy] = source(x, y);
            const size_t to = size_t(y) * size_t(in.width) + size_t(x),
                         from = size_t(sy) * size_t(in.width) + size_t(sx);
            for (int b = 0; b < in.bands; ++b)
                out.band(b)[to] = in.band(channel(b))[from];
            if (!in.valid.empty())
                out.valid[to] = in.valid[from];
        }
    }
    return out;
}

int supportedViews(int views)
{
    return views >= 8 ? 8 : views >= 4 ? 4 : views >= 2 ? 2 : 1;
}

}  // namespace

RasterBuffer SelfEnsemble::apply(const RasterBuffer &square, int t, const GuideLayout &layout)
{
    const int w = square.width, h = square.height;
    const auto channel = [&](int b) { return layout.guided() ? layout.sourceChannel(b, t) : b; };
    return remap(
        square, [=](int x, int y) { return turnedSource(x, y, w, h, t); }, channel);
}

RasterBuffer SelfEnsemble::invert(const RasterBuffer &square, int t)
{
    const int w = square.width, h = square.height;
    return remap(
        square,
        [=](int x, int y) {
            int ux = (t & 1) ? w - 1 - x : x;
            int uy = (t & 2) ? h - 1 - y : y;
            if (t & 4)
                std::swap(ux, uy);
            return std::pair(ux, uy);
        },
        [](int b) { return b; });
}

TiledSuperResolver::RunBatch SelfEnsemble::wrap(TiledSuperResolver::RunBatch network, int views, GuideLayout layout)
{
    views = supportedViews(views);
    if (views == 1)
        return network;
    return [network = std::move(network), views,
            layout](const std::vector<RasterBuffer> &tiles) -> Result<std::vector<RasterBuffer>> {
        std::vector<RasterBuffer> batch;
        batch.reserve(tiles.size() * size_t(views));
        for (int t = 0; t < views; ++t)
            for (const RasterBuffer &tile : tiles)
                batch.push_back(t == 0 ? tile : apply(tile, t, layout));
        Result<std::vector<RasterBuffer>> outputs = network(batch);
        if (!outputs)
            return outputs.error();
        if (outputs->size() != batch.size())
            return failure(QStringLiteral("the network returned %1 tiles for a batch of %2")
                               .arg(outputs->size())
                               .arg(batch.size()));
        std::vector<RasterBuffer> mean(outputs->begin(), outputs->begin() + qsizetype(tiles.size()));
        for (int t = 1; t < views; ++t) {
            for (size_t i = 0; i < tiles.size(); ++i) {
                const RasterBuffer back = invert((*outputs)[size_t(t) * tiles.size() + i], t);
                if (back.values.size() != mean[i].values.size())
                    return failure(QStringLiteral("the network's outputs differ in size between views"));
                for (size_t k = 0; k < back.values.size(); ++k)
                    mean[i].values[k] += back.values[k];
            }
        }
        for (RasterBuffer &m : mean)
            for (float &v : m.values)
                v /= float(views);
        return mean;
    };
}

}  // namespace dw::superres
