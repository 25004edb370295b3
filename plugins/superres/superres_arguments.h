#pragma once
// The super-resolution task's argument schemas (CLI flags, GUI forms and REST parameters are
// generated from them) and their parsing: band lists, regions in pixels or lon/lat, the
// train arguments as an SrTrainRequest (without the rasters, which the plugin reads).
#include "core/task/argument_schema.h"
#include "core/util/result.h"
#include "plugins/superres/train/sr_train_request.h"

#include <QList>
#include <QRect>
#include <QRectF>
#include <QVariantMap>

namespace dw::superres {

class SuperResArguments {
public:
    static ArgumentSchema train();
    static ArgumentSchema predict();
    static ArgumentSchema evaluate();
    // catalog import-torchscript: a super-resolution network scripted in PyTorch.
    static ArgumentSchema importTorchScript();

    // args validated against train(); rasters, band names and moduleDir are left to the caller.
    static SrTrainRequest trainRequest(const QVariantMap &args);
    // "A,B" or a list: the items, trimmed, without empty ones.
    static QStringList items(const QVariant &value);
    // 1-based band numbers from "1,2,3", "2-4" or a list; an error names field.
    static Result<QList<int>> bands(const QVariant &value, const QString &field = QStringLiteral("bands"));
    // "x,y,width,height" in pixels (empty text: an empty rect).
    static Result<QRect> pixelRegion(const QString &text, const QString &field = QStringLiteral("roi"));
    // "west,south,east,north" in degrees, as a rect from (west, south) to (east, north).
    static Result<QRectF> lonLatRegion(const QString &text, const QString &field = QStringLiteral("roi-lonlat"));
};

}  // namespace dw::superres
