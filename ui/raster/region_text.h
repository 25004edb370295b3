#pragma once
// The region of interest as the user types it in the super-resolution panel, "x,y,width,height"
// in pixels of the input, checked against the raster so that the panel can say at once what
// is wrong and the view can draw it before anything runs.
#include <QRect>
#include <QSize>
#include <QString>

namespace dw {

struct ParsedRegion {
    QRect rect;     // empty for the whole raster or when the text is wrong
    QString error;  // why the text is no region of this raster; empty when it is fine

    bool ok() const { return error.isEmpty(); }
};

// Empty text: the whole raster. rasterSize empty: only the form is checked.
ParsedRegion parseRegionText(const QString &text, QSize rasterSize);

}  // namespace dw
