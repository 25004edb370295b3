#pragma once
// The second task interface, for tasks that watch a live stream: each new point (a CSV line
// appended to a file or sent over a socket) updates the forecast and is checked at once.
// A plugin that can do it implements it next to TaskPlugin (Q_INTERFACES(dw::TaskPlugin
// dw::StreamingTask)); the CLI (`deepwb watch`) and the GUI's live mode find it with
// qobject_cast<StreamingTask *>(pluginObject). No LibTorch here.
#include "core/ml/anomaly_detector.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <QtPlugin>

#include <memory>
#include <vector>

namespace dw {

// What one point did to the stream.
struct StreamUpdate {
    double time = 0;               // seconds since 1970, or the point's number without a time column
    QString timeText;              // the time as the line wrote it (may be empty)
    std::vector<double> observed;  // per target, in StreamMonitor::targets() order; NaN = missing
    std::vector<double> expected;  // per target: the forecast that had been made for this point; NaN while warming up
    std::vector<double> lower;     // per target: the alert band around `expected` (NaN without a detector)
    std::vector<double> upper;
    std::vector<double> next;    // per target: the forecast for the next point, made from this one
    QList<AnomalyAlert> alerts;  // raised by this point (at most one per target)
    bool warmingUp = true;       // no forecast was made for this point (the window was not full yet)

    // {"time", "time_text" (when there is one), "observed": {target: v}, "expected", "lower",
    //  "upper", "next" (null for NaN), "alerts": [AnomalyAlert JSON], "warming_up"}
    QJsonObject toJson(const QStringList &targets) const;
};

class StreamMonitor {
public:
    virtual ~StreamMonitor() = default;

    virtual QStringList targets() const = 0;
    // The columns a line must have, in the order the module's training file had them
    // (a header line with these names is recognised and skipped).
    virtual QStringList expectedColumns() const = 0;
    // Points needed before the first forecast (the window, plus differencing).
    virtual int warmUpPoints() const = 0;

    // One CSV line as it arrived (with or without its line break). A line that cannot be
    // read (wrong field count, text where a number belongs, a bad time stamp) is an Error
    // saying why; the monitor's state is unchanged by it, so that the caller can count it
    // and go on. A header line gives an empty update with warmingUp unchanged and no
    // observed values (observed.empty()).
    virtual Result<StreamUpdate> pushLine(const QByteArray &line) = 0;
};

class StreamingTask {
public:
    virtual ~StreamingTask() = default;
    // Opens a monitor over a trained module. options: "device" ("cpu", "cuda"); a plugin may
    // take more (the time-series plugin: "threads", "kernel"). Errors: not a module of this
    // task, weights that do not load, a module without anomaly thresholds (then alerts
    // cannot be raised: say so).
    virtual Result<std::unique_ptr<StreamMonitor>> openStream(const QString &moduleDirectory,
                                                              const QVariantMap &options) = 0;
};

}  // namespace dw

#define DW_STREAMING_TASK_IID "org.deep-hybrid-datacloud.workbench.StreamingTask/1.0"
Q_DECLARE_INTERFACE(dw::StreamingTask, DW_STREAMING_TASK_IID)
