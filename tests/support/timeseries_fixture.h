#pragma once
// Generated series for the time-series tests: a sine with noise (and an optional second,
// slower column), written as a CSV file with a daily ISO date column.
#include <QDate>
#include <QFile>
#include <QString>
#include <QTextStream>

#include <cmath>
#include <random>

namespace dw::test {

// rows of "date,value[,other]"; value = sin(2π t / period) + noise·N(0,1) (+ spike at spikeRow).
inline bool writeSineCsv(const QString &path, int rows, double noise = 0.1, int period = 24, bool second = false,
                         unsigned seed = 7)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    QTextStream out(&file);
    out << (second ? "date,value,other\n" : "date,value\n");
    std::mt19937 rng(seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const QDate start(2020, 1, 1);
    for (int t = 0; t < rows; ++t) {
        const double value = 10.0 + std::sin(2.0 * M_PI * t / period) + noise * gauss(rng);
        out << start.addDays(t).toString(Qt::ISODate) << ',' << QString::number(value, 'f', 5);
        if (second)
            out << ','
                << QString::number(5.0 + 0.5 * std::cos(2.0 * M_PI * t / (period * 2)) + noise * gauss(rng), 'f', 5);
        out << '\n';
    }
    return true;
}

}  // namespace dw::test
