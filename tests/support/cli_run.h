#pragma once
// Runs the built deepwb as a user would, for the CLI suites: the test's plugins, two threads,
// HOME and XDG_DATA_HOME inside the test's temporary folder (so nothing of the user's is
// read or written), plus any variables a suite adds. Needs DW_PLUGIN_DIR and DW_BIN_DIR.
#include <QByteArray>
#include <QDebug>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace dw::test {

struct CliRun {
    int exitCode = -1;  // -1: crashed or did not finish in time
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

inline CliRun runDeepwb(const QStringList &args, const QString &home, int timeoutMs,
                        const QMap<QString, QString> &extraEnvironment = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEEPWB_PLUGIN_PATH"), QStringLiteral(DW_PLUGIN_DIR));
    env.insert(QStringLiteral("DEEPWB_THREADS"), QStringLiteral("2"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home).filePath(QStringLiteral("xdg")));
    for (auto it = extraEnvironment.begin(); it != extraEnvironment.end(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        qWarning() << "deepwb" << args << "did not finish";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

}  // namespace dw::test
