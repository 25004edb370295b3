#pragma once
// The eight flips/rotations of a square grid used by the self-ensemble and the packed guide:
// transform bits 1 mirror x, 2 mirror y, 4 transpose. turnedSource() gives, for a pixel of the
// turned grid, the pixel of the original grid it comes from (side × side, 0-based).
#include <utility>

namespace dw::superres {

inline std::pair<int, int> turnedSource(int x, int y, int width, int height, int transform)
{
    if (transform & 4)
        std::swap(x, y);
    if (transform & 2)
        y = height - 1 - y;
    if (transform & 1)
        x = width - 1 - x;
    return {x, y};
}

}  // namespace dw::superres
