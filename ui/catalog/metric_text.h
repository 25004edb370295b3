#pragma once
// A module's metrics as a person reads them, for the module page and the Compare view:
// "val_psnr" is "Validation PSNR" and 31.234 is "31.23 dB"; "test_top1" 0.9312 is "Test top-1
// accuracy" "93.1 %"; a list of numbers is summed up ("30 values, 28.1 to 31.6 dB; last 31.4 dB")
// instead of being cut-off JSON.
#include <QJsonValue>
#include <QString>

namespace dw {

QString metricName(const QString &key);
// The value with its unit, from the key's words (accuracies and F1 in per cent, PSNR and SRE in
// dB, throughputs per second); nested objects are not summed up here (see metricsHtml).
QString metricValue(const QString &key, const QJsonValue &value);
// A table of the metrics, one row each, nested objects (per target, per class) as nested tables.
QString metricsHtml(const QJsonObject &metrics);

}  // namespace dw
