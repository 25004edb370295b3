#include "core/io/gdal_environment.h"

#include <QtGlobal>

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace dw::gdal {
namespace {

constexpr GIntBig kBlockCacheBytes = GIntBig(512) << 20;

}  // namespace

void ensureRegistered()
{
    static std::once_flag registered;
    std::call_once(registered, [] {
        GDALAllRegister();
        // GDAL's block cache defaults to 5 % of RAM (6 GB on a 128 GB machine) and a writer's
        // dirty blocks stay in it until it is full: cap it so that streaming a raster of any
        // size keeps memory bounded, unless the user chose a size.
        if (qEnvironmentVariableIsEmpty("GDAL_CACHEMAX") && GDALGetCacheMax64() > kBlockCacheBytes)
            GDALSetCacheMax64(kBlockCacheBytes);
    });
}

QString lastErrorMessage(const QString &fallback)
{
    const QString message = QString::fromUtf8(CPLGetLastErrorMsg()).trimmed();
    return message.isEmpty() ? fallback : message;
}

QuietErrors::QuietErrors()
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

QuietErrors::~QuietErrors()
{
    CPLPopErrorHandler();
}

bool QuietErrors::failed() const
{
    const CPLErr type = CPLGetLastErrorType();
    return type == CE_Failure || type == CE_Fatal;
}

void QuietErrors::reset()
{
    CPLErrorReset();
}

}  // namespace dw::gdal
