#pragma once
// Small pieces the CPU benchmarks share: reading "--name value" options, the median of
// timed runs, the machine's load average, and the one machine-readable line a sub-benchmark
// prints for bench_cpu_precision ("RESULT {json}", the last line of its output with --json).
#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <algorithm>
#include <vector>

namespace dw::bench {

inline constexpr char kResultPrefix[] = "RESULT ";

inline QString optionText(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

// A positive whole number (at least 1).
inline int optionCount(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? std::max(1, args.at(i + 1).toInt()) : fallback;
}

inline double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// "1.93 1.85 1.80" (1, 5 and 15 minutes); empty when unknown.
inline QString loadAverages()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2);
}

inline void printResult(QTextStream &out, const QJsonObject &result)
{
    out << kResultPrefix << QJsonDocument(result).toJson(QJsonDocument::Compact) << Qt::endl;
}

}  // namespace dw::bench
