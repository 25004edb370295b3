#include "progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {
// A terminal is redrawn at most 10 times a second; a log gets a line every 10 s or every
// tenth of the job, whichever comes first, so a day-long run does not write megabytes.
constexpr qint64 kTerminalIntervalMs = 100;
constexpr qint64 kLogIntervalMs = 10000;
constexpr double kLogFractionStep = 0.1;
}  // namespace

ProgressBar::ProgressBar(std::FILE *stream) : ProgressBar(stream, streamIsTerminal(stream), terminalWidth(stream))
{}

ProgressBar::ProgressBar(std::FILE *stream, bool terminal, int width)
    : m_stream(stream), m_terminal(terminal), m_width(width > 0 ? width : 80)
{
    m_clock.start();
}

ProgressBar::~ProgressBar()
{
    finish();
}

bool ProgressBar::streamIsTerminal(std::FILE *stream)
{
    return stream && ::isatty(::fileno(stream)) == 1;
}

int ProgressBar::terminalWidth(std::FILE *stream)
{
    winsize size{};
    if (stream && ::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && columns > 0 ? columns : 80;
}

QString ProgressBar::formatDuration(double seconds)
{
    const qint64 total = std::isfinite(seconds) ? std::max<qint64>(0, qint64(std::llround(seconds))) : 0;
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return u"%1:%2:%3"_s.arg(h).arg(m, 2, 10, QChar(u'0')).arg(s, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(m).arg(s, 2, 10, QChar(u'0'));
}

QString ProgressBar::render(double fraction, double elapsedSeconds, const QString &message, int width)
{
    const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    constexpr int barCells = 24;
    const int filled = int(std::floor(f * barCells));
    QString line = u"["_s + QString(filled, u'#') + QString(barCells - filled, u'.') + u"] "_s;
    line += u"%1%"_s.arg(int(std::floor(f * 100.0)), 3);
    // Below 1 % (or in the first seconds) an estimate would be noise; a job that tells its
    // own ETA in the message (the trainer knows epochs and batches) is not second-guessed.
    const bool ownEta = !message.contains(u"eta "_s, Qt::CaseInsensitive);
    if (ownEta && f >= 0.01 && f < 1.0 && elapsedSeconds >= 1.0)
        line += u"  ETA "_s + formatDuration(elapsedSeconds * (1.0 - f) / f);
    else if (f >= 1.0)
        line += u"  "_s + formatDuration(elapsedSeconds);
    if (!message.isEmpty())
        line += u"  "_s + message;
    if (width > 1 && line.size() > width - 1)  // the last column would wrap on some terminals
        line = line.left(width - 1);
    return line;
}

void ProgressBar::writeLocked(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_stream);
    std::fflush(m_stream);
}

void ProgressBar::clearLocked()
{
    if (m_terminal && m_drawn) {
        writeLocked(u"\r\x1b[K"_s);
        m_drawn = false;
    }
}

void ProgressBar::drawLocked(bool force)
{
    const qint64 now = m_clock.elapsed();
    const double elapsed = double(now - m_phaseStartMs) / 1000.0;
    if (m_terminal) {
        if (!force && m_lastDrawMs >= 0 && now - m_lastDrawMs < kTerminalIntervalMs)
            return;
        writeLocked(u"\r\x1b[K"_s + render(m_fraction, elapsed, m_message, m_width));
        m_drawn = true;
    } else {
        const bool due = m_lastDrawMs < 0 || now - m_lastDrawMs >= kLogIntervalMs ||
                         m_fraction - m_lastLoggedFraction >= kLogFractionStep ||
                         (m_fraction >= 1.0 && m_lastLoggedFraction < 1.0);
        if (!force && !due)
            return;
        QString line = u"[%1%]"_s.arg(int(std::floor(m_fraction * 100.0)), 3);
        if (m_fraction >= 0.01 && m_fraction < 1.0 && !m_message.contains(u"eta "_s, Qt::CaseInsensitive))
            line += u" ETA "_s + formatDuration(elapsed * (1.0 - m_fraction) / m_fraction);
        if (!m_message.isEmpty())
            line += u" "_s + m_message;
        writeLocked(line + u'\n');
        m_lastLoggedFraction = m_fraction;
    }
    m_lastDrawMs = now;
}

void ProgressBar::update(double fraction, const QString &message)
{
    std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    if (std::isfinite(fraction)) {
        const double f = std::clamp(fraction, 0.0, 1.0);
        if (f + 1e-9 < m_fraction) {
            m_phaseStartMs = m_clock.elapsed();
            m_lastLoggedFraction = -1.0;
        }
        m_fraction = f;
    }
    if (!message.isEmpty())
        m_message = message;
    drawLocked(false);
}

void ProgressBar::log(const QString &line)
{
    std::lock_guard lock(m_mutex);
    clearLocked();
    writeLocked(line + u'\n');
    // The bar comes back under the line at once, so that it never seems to vanish.
    if (m_terminal && !m_finished && m_lastDrawMs >= 0)
        drawLocked(true);
}

void ProgressBar::finish()
{
    std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    m_finished = true;
    if (m_terminal && m_drawn)
        writeLocked(u"\n"_s);
    m_drawn = false;
}

JobContext::Callbacks ProgressBar::callbacks()
{
    return {[this](double fraction, const QString &message) { update(fraction, message); },
            [this](const QString &line) { log(line); },
            {}};  // training reports reach the bar as progress and log lines
}

}  // namespace dw::cli
