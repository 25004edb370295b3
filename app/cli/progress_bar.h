#pragma once
// How a long job shows its progress on stderr: on a terminal a one-line bar redrawn in
// place ("[#####.....]  42%  ETA 1:23  epoch 3/10, batch 120/469") with log lines printed
// above it; on a pipe or file (a batch job's log) plain, throttled lines instead, since
// carriage returns make unreadable logs. Thread-safe: the job's worker reports, the bar draws.
#include "core/jobs/job_context.h"

#include <QElapsedTimer>
#include <QString>

#include <cstdio>
#include <mutex>

namespace dw::cli {

class ProgressBar {
public:
    // terminal: draw the bar in place; by default when the stream is a terminal (isatty).
    explicit ProgressBar(std::FILE *stream = stderr);
    ProgressBar(std::FILE *stream, bool terminal, int width = 0);
    ~ProgressBar();
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;

    // fraction in [0, 1]; NaN keeps the last fraction and only changes the message. A
    // fraction below the last one starts a new phase (testing after training): the ETA
    // counts from there.
    void update(double fraction, const QString &message);
    void log(const QString &line);
    // Ends the bar's line (a terminal gets a last drawing and a newline); idempotent.
    void finish();
    // The callbacks a JobContext reports to.
    JobContext::Callbacks callbacks();

    bool isTerminal() const { return m_terminal; }
    static bool streamIsTerminal(std::FILE *stream);
    static int terminalWidth(std::FILE *stream);  // columns; 80 when unknown

    // One bar line, at most width characters (pure, for the tests). elapsedSeconds gives the
    // ETA once a little progress has been made.
    static QString render(double fraction, double elapsedSeconds, const QString &message, int width);
    static QString formatDuration(double seconds);  // "0:07", "12:34", "1:02:03"

private:
    void drawLocked(bool force);
    void clearLocked();
    void writeLocked(const QString &text);

    std::FILE *m_stream;
    bool m_terminal;
    int m_width;
    std::mutex m_mutex;
    QElapsedTimer m_clock;
    qint64 m_phaseStartMs = 0;  // when the fraction last went back (a job's next phase): the ETA's origin
    qint64 m_lastDrawMs = -1;
    double m_fraction = 0.0;
    double m_lastLoggedFraction = -1.0;
    QString m_message;
    bool m_drawn = false;  // a bar line is on the terminal now
    bool m_finished = false;
};

}  // namespace dw::cli
