#pragma once
// What every GDAL user in core/io needs and no header should show: drivers registered
// once per process, GDAL's messages kept off stderr while an operation runs, and the
// last message GDAL left in this thread for an Error. No GDAL types here.
#include <QString>

namespace dw::gdal {

// GDALAllRegister, exactly once (std::call_once); cheap to call before every open. Also caps
// GDAL's block cache at 512 MB unless GDAL_CACHEMAX is set (bounded memory when streaming).
void ensureRegistered();

// GDAL's last error message in this thread, or fallback when GDAL left none.
QString lastErrorMessage(const QString &fallback = QStringLiteral("no reason given"));

// While alive: GDAL errors and warnings are recorded (lastErrorMessage) but not printed.
// Resets the last error on construction so that a message is about this operation.
class QuietErrors {
public:
    QuietErrors();
    ~QuietErrors();
    QuietErrors(const QuietErrors &) = delete;
    QuietErrors &operator=(const QuietErrors &) = delete;
    // True when GDAL reported a failure since construction (or since the last reset()).
    bool failed() const;
    void reset();
};

}  // namespace dw::gdal
