#pragma once
// What LibTorch throws, as an error value with advice: every trainer's entry point runs its
// work through catchTorchErrors so that a CUDA or shape error, an out-of-memory and any other
// exception end the job with a message instead of taking the process down.
#include "core/util/result.h"

#include <c10/util/Exception.h>

#include <QString>

#include <exception>
#include <new>

namespace dw::ml {

// The first line of LibTorch's message, without its C++ backtrace.
inline QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

// run() returns Result<T>; what ("training") names the work in the messages; outOfMemory says
// what to lower, and field is the argument the message belongs to.
template <typename T, typename Run>
Result<T> catchTorchErrors(Run &&run, const QString &what, const QString &outOfMemory, const QString &field)
{
    try {
        return run();
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("%1 failed in LibTorch: %2").arg(what, torchMessage(error)));
    } catch (const std::bad_alloc &) {
        return failure(QStringLiteral("%1 ran out of memory: %2").arg(what, outOfMemory), field);
    } catch (const std::exception &error) {
        return failure(QStringLiteral("%1 failed: %2").arg(what, QString::fromUtf8(error.what())));
    }
}

}  // namespace dw::ml
