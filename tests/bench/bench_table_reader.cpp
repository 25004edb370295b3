// Reads a generated CSV of 1,000,000 rows × 5 columns (a time stamp and four numbers) with
// TableReader and, in the same run, with a plain std::getline + strtod loop over the same
// file: the difference is what detection, quoting, UTF-8 checks, missing-value counting,
// time parsing and the sampling analysis cost (the reference skips ISO stamps unparsed). Two files: Unix-second and ISO date-time
// stamps. Median of 3 runs each (the first run warms the page cache).
// Usage: bench_table_reader [rows]
#include "core/io/table_reader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int kRuns = 3;

bool generate(const QString &path, qint64 rows, bool iso)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 1);
    QByteArray chunk;
    chunk.reserve(1 << 20);
    chunk += iso ? "time,load,temperature,pressure,flow\n" : "unix,load,temperature,pressure,flow\n";
    const qint64 start = 1700000000;
    char line[160];
    for (qint64 i = 0; i < rows; ++i) {
        const qint64 t = start + i * 60;
        int n = 0;
        if (iso) {
            const qint64 days = t / 86400;
            const int sec = int(t % 86400);
            int y = 0, m = 0, d = 0;
            dw::TimestampParser::civilFromDays(days, y, m, d);
            n = std::snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d,", y, m, d, sec / 3600, sec / 60 % 60,
                              sec % 60);
        } else {
            n = std::snprintf(line, sizeof line, "%lld,", static_cast<long long>(t));
        }
        n += std::snprintf(line + n, sizeof line - size_t(n), "%.3f,%.2f,%.1f,%.4f\n", 50 + 10 * noise(rng),
                           15 + noise(rng), 1013 + 5 * noise(rng), 2 + 0.1 * noise(rng));
        chunk.append(line, n);
        if (chunk.size() > (1 << 20) - 200) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    return file.flush();
}

// The reference: what a hand-written loop does with a file it already knows.
qint64 plainParse(const QString &path, bool iso, double &checksum)
{
    std::ifstream in(path.toStdString());
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::vector<double>> columns(5);
    qint64 rows = 0;
    while (std::getline(in, line)) {
        const char *p = line.c_str();
        for (int c = 0; c < 5; ++c) {
            char *end = nullptr;
            double v = 0;
            if (c == 0 && iso)  // an ISO stamp: skipped as text, as a loop that ignores time would
                end = const_cast<char *>(std::strchr(p, ','));
            else
                v = std::strtod(p, &end);
            columns[size_t(c)].push_back(v);
            p = end && *end ? end + 1 : end;
        }
        ++rows;
    }
    checksum = 0;
    for (double v : columns[1])
        checksum += v;
    return rows;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const qint64 rows = argc > 1 ? std::atoll(argv[1]) : 1000000;
    QTemporaryDir dir;
    if (!dir.isValid()) {
        out << "bench_table_reader: no temporary folder\n";
        return 1;
    }
    out << "bench_table_reader: " << rows << " rows x 5 columns, median of " << kRuns << " runs\n";
    for (const bool iso : {false, true}) {
        const QString path = dir.filePath(iso ? QStringLiteral("iso.csv") : QStringLiteral("unix.csv"));
        if (!generate(path, rows, iso)) {
            out << "bench_table_reader: cannot write " << path << "\n";
            return 1;
        }
        const double megabytes = double(QFile(path).size()) / (1 << 20);
        std::vector<double> readerTimes, plainTimes;
        double readerSum = 0, plainSum = 0;
        qint64 readerRows = 0, plainRows = 0;
        QString format;
        for (int run = 0; run < kRuns; ++run) {
            QElapsedTimer timer;
            timer.start();
            const auto r = dw::TableReader::readFile(path);
            readerTimes.push_back(double(timer.nsecsElapsed()) / 1e9);
            if (!r) {
                out << "bench_table_reader: " << r.error().text() << "\n";
                return 1;
            }
            readerRows = r->table.rowCount();
            format = dw::TimestampParser::formatName(r->report.timeFormat);
            readerSum = 0;
            for (double v : r->table.column(0))
                readerSum += v;
            timer.restart();
            plainRows = plainParse(path, iso, plainSum);
            plainTimes.push_back(double(timer.nsecsElapsed()) / 1e9);
        }
        const double tr = median(readerTimes);
        const double tp = median(plainTimes);
        out << QStringLiteral("  %1 stamps (%2, %3 MiB):\n")
                   .arg(iso ? "ISO date-time" : "Unix-second", format)
                   .arg(megabytes, 0, 'f', 1);
        out << QStringLiteral("    TableReader          %1 s  %2 rows/s  %3 MiB/s  (%4 rows)\n")
                   .arg(tr, 0, 'f', 3)
                   .arg(double(readerRows) / tr, 0, 'f', 0)
                   .arg(megabytes / tr, 0, 'f', 1)
                   .arg(readerRows);
        out << QStringLiteral("    getline+strtod ref.  %1 s  %2 rows/s  %3 MiB/s  (%4 rows)\n")
                   .arg(tp, 0, 'f', 3)
                   .arg(double(plainRows) / tp, 0, 'f', 0)
                   .arg(megabytes / tp, 0, 'f', 1)
                   .arg(plainRows);
        out << QStringLiteral("    TableReader / reference time: %1x; column sums agree: %2\n")
                   .arg(tr / tp, 0, 'f', 2)
                   .arg(std::abs(readerSum - plainSum) < 1e-6 * std::abs(plainSum) ? "yes" : "NO");
        out.flush();
        QFile::remove(path);
    }
    return 0;
}
