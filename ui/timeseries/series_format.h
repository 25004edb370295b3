#pragma once
// How the time-series workspace writes the numbers of a series: one number of decimals per
// series, used alike by the data preview, the alerts tables, the plot's tooltips and the
// Results page's labels, so that 80.1 is never listed beside 131.501 and 51. The decimals
// come from the series itself: four significant digits of its spread (max − min), but no
// more than the data's own decimals (at least one, so that a forecast between two whole
// numbers still shows). The value axes write their ticks with even decimals too
// (EvenDecimalsTicker).
#include <QString>
#include <QVector>
#include <qcustomplot.h>

#include <vector>

namespace dw {

class SeriesFormat {
public:
    static constexpr int kMaxDecimals = 6;

    // The fewest decimals that write every finite value as it is (0 for whole numbers, 1 for
    // 96.7), at most kMaxDecimals (values that are not short decimals, e.g. 0.1 + 0.2).
    static int dataDecimals(const double *values, qsizetype count);
    // The decimals for a series (see above); 2 when it holds no finite value.
    static int decimals(const double *values, qsizetype count);
    static int decimals(const QVector<double> &values) { return decimals(values.constData(), values.size()); }
    static int decimals(const std::vector<double> &values) { return decimals(values.data(), qsizetype(values.size())); }
    // Enough decimals for `digits` significant digits of magnitude (0 to kMaxDecimals): a
    // figure that stands alone, e.g. an MAE (12.3 with 3 digits, 0.0523).
    static int significantDecimals(double magnitude, int digits = 3);
    // The value with exactly `decimals` decimals (never "-0.0"); empty for NaN or infinity.
    static QString number(double value, int decimals);
};

// Tick labels with one number of decimals per axis, from the tick step: 8.0, 8.5, 9.0
// instead of QCustomPlot's 8, 8.5, 9.
class EvenDecimalsTicker : public QCPAxisTicker {
public:
    // The decimals of the labels for ticks `step` apart.
    static int decimalsFor(double step);

protected:
    QVector<QString> createLabelVector(const QVector<double> &ticks, const QLocale &locale, QChar formatChar,
                                       int precision) override;
};

}  // namespace dw
