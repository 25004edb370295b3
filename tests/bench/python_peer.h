#pragma once
// The PyTorch peers of the CPU benchmarks: Python scripts in tests/bench run by Debian's
// python3-torch, either as a --serve child that times one unit of work per request (so that
// the C++ side and the peer can take turns run by run and meet the same machine load: a
// shared build machine is noisy, and separate blocks of runs would each see a different load)
// or once, printing one JSON line (PythonPeer::runOnce). The scripts exit with code 3 when
// this python has no torch. Needs DW_BENCH_DIR (the folder of the scripts).
//
// The interpreter: DEEPWB_PYTHON first, then Debian's /usr/bin/python3 (python3-torch is
// installed for it; a pyenv or venv python3 earlier on PATH usually lacks torch), then
// python3 on PATH.
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <vector>

namespace dw::bench {

class PythonPeer {
public:
    ~PythonPeer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.write("quit\n");
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }

    static QString scriptPath(const QString &script) { return QStringLiteral(DW_BENCH_DIR "/") + script; }

    static QStringList interpreters()
    {
        QStringList pythons;
        for (const QString &candidate : {qEnvironmentVariable("DEEPWB_PYTHON"), QStringLiteral("/usr/bin/python3"),
                                         QStandardPaths::findExecutable(QStringLiteral("python3"))})
            if (!candidate.isEmpty() && QFileInfo(candidate).isExecutable() && !pythons.contains(candidate))
                pythons << candidate;
        return pythons;
    }

    // Starts `script --serve arguments` and waits for its {"ready": true, ...} line (kept in
    // ready()). False: why() says why.
    bool start(const QString &script, const QStringList &arguments)
    {
        m_why = QStringLiteral("python3-torch not installed (run packaging/install-deps.sh --bench)");
        for (const QString &python : interpreters()) {
            m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            m_process.start(python, QStringList{scriptPath(script), QStringLiteral("--serve")} + arguments);
            m_ready = QJsonDocument::fromJson(readLine(m_process, 5 * 60 * 1000)).object();
            if (m_ready.value(QStringLiteral("ready")).toBool()) {
                m_python = python;
                return true;
            }
            m_process.waitForFinished(10000);
            if (m_process.exitCode() != 3)  // 3: this python has no torch, try the next one
                m_why = QStringLiteral("the peer failed with %1 (exit code %2)").arg(python).arg(m_process.exitCode());
        }
        return false;
    }

    // Seconds of one unit of work `what` (a request the script knows); nullopt if the child died
    // (or never started).
    std::optional<double> run(const QString &what)
    {
        if (!answers())
            return std::nullopt;
        m_process.write(what.toUtf8() + '\n');
        bool ok = false;
        const double seconds = readLine(m_process, 10 * 60 * 1000).toDouble(&ok);
        if (!ok) {
            m_why = QStringLiteral("the peer stopped answering");
            m_ready = {};
        }
        return ok ? std::optional<double>(seconds) : std::nullopt;
    }

    // One turn of the peer in a benchmark that alternates with it: `what` once, its seconds
    // appended to `seconds` when `record` (false: a warm-up turn).
    void turn(const QString &what, std::vector<double> &seconds, bool record)
    {
        const std::optional<double> s = run(what);
        if (s && record)
            seconds.push_back(*s);
    }

    // Started and still answering.
    bool answers() const { return m_ready.value(QStringLiteral("ready")).toBool(); }

    // Into a sub-benchmark's RESULT object: the peer's `figures` and "peer" (its version) when it
    // answered to the end, else "peer_error" (why not).
    void report(QJsonObject &result, const QJsonObject &figures) const
    {
        if (!answers()) {
            result.insert(QStringLiteral("peer_error"), m_why);
            return;
        }
        for (auto it = figures.begin(); it != figures.end(); ++it)
            result.insert(it.key(), it.value());
        result.insert(QStringLiteral("peer"), version());
    }

    // `script arguments` to its end: the JSON object of its last stdout line; an object with
    // "error" when it failed.
    static QJsonObject runOnce(const QString &script, const QStringList &arguments, int timeoutMs = 30 * 60 * 1000)
    {
        QString why = QStringLiteral("python3-torch not installed (run packaging/install-deps.sh --bench)");
        for (const QString &python : interpreters()) {
            QProcess process;
            process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            process.start(python, QStringList{scriptPath(script)} + arguments);
            if (!process.waitForFinished(timeoutMs)) {
                process.kill();
                process.waitForFinished();
                return {{QStringLiteral("error"), QStringLiteral("%1 timed out").arg(script)}};
            }
            const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
            QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
            if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0 && !result.isEmpty()) {
                result.insert(QStringLiteral("python"), python);
                return result;
            }
            if (process.exitCode() != 3)
                return {
                    {QStringLiteral("error"),
                     QStringLiteral("%1 failed with %2 (exit code %3)").arg(script, python).arg(process.exitCode())}};
        }
        return {{QStringLiteral("error"), why}};
    }

    const QString &why() const { return m_why; }
    const QJsonObject &ready() const { return m_ready; }
    // "/usr/bin/python3: torch 1.13.0, 2 threads[, torchvision 0.14.1]"
    QString version() const
    {
        const QString torchvision = m_ready.value(QStringLiteral("torchvision")).toString();
        return QStringLiteral("%1: torch %2, %3 threads%4")
            .arg(m_python, m_ready.value(QStringLiteral("torch")).toString())
            .arg(m_ready.value(QStringLiteral("threads")).toInt())
            .arg(torchvision.isEmpty() ? QString() : QStringLiteral(", torchvision ") + torchvision);
    }

private:
    static QByteArray readLine(QProcess &process, int timeoutMs)
    {
        QElapsedTimer waited;
        waited.start();
        while (!process.canReadLine()) {
            if (process.state() == QProcess::NotRunning || waited.elapsed() > timeoutMs ||
                !process.waitForReadyRead(static_cast<int>(std::max<qint64>(1, timeoutMs - waited.elapsed()))))
                return process.canReadLine() ? process.readLine().trimmed() : QByteArray();
        }
        return process.readLine().trimmed();
    }

    QProcess m_process;
    QString m_why, m_python;
    QJsonObject m_ready;
};

}  // namespace dw::bench
