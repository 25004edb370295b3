#include "core/io/gdal_environment.h"

#include <QtGlobal>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>

#include <mutex>
#include <utility>

namespace dw::gdal {
namespace {

constexpr GIntBig kBlockCacheBytes = GIntBig(512) << 20;

// Seconds: to connect, and for one request (GDAL reads remote rasters by ranges, each small).
constexpr std::pair<const char *, const char *> kHttpDefaults[] = {
    {"GDAL_HTTP_CONNECTTIMEOUT", "20"},
    {"GDAL_HTTP_TIMEOUT", "60"},
    {"GDAL_HTTP_MAX_RETRY", "2"},
    {"GDAL_HTTP_RETRY_DELAY", "1"},
};

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
        // Rasters read over HTTP (/vsicurl/, /vsis3/, ...): GDAL waits without limit by default
        // on a server that accepts and never answers. Bounded unless the user set them.
        for (const auto &[name, value] : kHttpDefaults)
            if (CPLGetConfigOption(name, nullptr) == nullptr)
                CPLSetConfigOption(name, value);
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
