#include "core/io/gdal_environment.h"

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace dw::gdal {

void ensureRegistered()
{
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
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
