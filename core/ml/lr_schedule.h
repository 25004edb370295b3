#pragma once
// The learning rate at each optimiser step: a linear warm-up, then cosine decay, step decay
// or a constant rate. Pure and stepped per batch, so that a resumed run sees exactly the
// rates an uninterrupted one would have seen.
#include <QString>
#include <QtGlobal>

namespace dw {

struct LrScheduleOptions {
    QString kind = QStringLiteral("cosine");  // cosine | step | constant
    double baseLr = 1e-3;
    qint64 totalSteps = 0;   // steps of the whole run (epochs × batches per epoch)
    qint64 warmupSteps = 0;  // linear ramp up to baseLr over these first steps
    qint64 stepSize = 0;     // step: multiply by gamma every stepSize steps after the warm-up
    double gamma = 0.1;
    double minLr = 0.0;  // cosine: the rate reached at the last step
};

// The rate for step (counted from 0):
//   step < warmupSteps:  baseLr × (step + 1) / warmupSteps
//   afterwards, with t = step − warmupSteps and T = totalSteps − warmupSteps:
//     cosine:   minLr + (baseLr − minLr) × (1 + cos(π × min(t, T) / T)) / 2   (T ≤ 0: baseLr)
//     step:     baseLr × gamma^⌊t / stepSize⌋                                  (stepSize ≤ 0: baseLr)
//     constant: baseLr
double learningRateAt(const LrScheduleOptions &options, qint64 step);

// Empty when the options make sense, else what is wrong and what to do.
QString lrScheduleProblem(const LrScheduleOptions &options);

// The schedule kinds learningRateAt() knows.
bool isKnownLrSchedule(const QString &kind);

}  // namespace dw
