// core/util/file_commit and core/catalog/module_lock. A full disk is simulated in this
// process with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored): write(2) then fails part-way
// with EFBIG exactly as it fails with ENOSPC on a full disk.
#include "core/catalog/module_lock.h"
#include "core/util/file_commit.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace {

// Limits the size of every file this process writes while it lives.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_saved);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }

private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
};

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestFileCommit : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void writesAndReplaces()
    {
        const QString path = m_dir.filePath(u"a.json"_s);
        QVERIFY(dw::writeFileAtomically(path, "first", u"the file"_s).ok());
        QVERIFY(dw::writeFileAtomically(path, "second", u"the file"_s).ok());
        QCOMPARE(contents(path), QByteArray("second"));
    }

    // QSaveFile alone commits a short (here: empty) file when its buffered bytes do not fit.
    void aFullDiskKeepsWhatWasThere()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"module.json"_s);
        QVERIFY(dw::writeFileAtomically(path, "{\"old\": true}", u"the manifest"_s).ok());
        const QByteArray big(64 * 1024, 'x');
        dw::Result<void> written = dw::success();
        {
            FileSizeLimit limit(4096);
            written = dw::writeFileAtomically(path, big, u"the manifest"_s);
        }
        QVERIFY(!written.ok());
        QVERIFY2(written.error().message.contains(u"larger than this system allows"_s),
                 qPrintable(written.error().message));
        QVERIFY2(written.error().message.contains(u"unchanged"_s), qPrintable(written.error().message));
        QCOMPARE(contents(path), QByteArray("{\"old\": true}"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"module.json"_s});
    }

    // A streaming writer whose sink fails: the sink takes every byte (LibTorch aborts on a
    // short write) and the commit reports the failure.
    void theSinkReportsAtCommit()
    {
        const QString path = m_dir.filePath(u"weights.pt"_s);
        QSaveFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        dw::Result<void> committed = dw::success();
        {
            FileSizeLimit limit(8192);
            dw::SaveFileSink sink(file);
            const QByteArray chunk(4096, 'w');
            for (int i = 0; i < 8; ++i)
                QCOMPARE(sink.write(chunk.constData(), std::size_t(chunk.size())), std::size_t(chunk.size()));
            committed = dw::commitFile(file, u"the weights"_s);
        }
        QVERIFY(!committed.ok());
        QVERIFY(!QFile::exists(path));
    }

    void messagesSayWhatToDo()
    {
        QVERIFY(dw::writeProblemText(u"No space left on device"_s).contains(u"disk is full"_s));
        QVERIFY(dw::writeProblemText(u"Read-only file system"_s).contains(u"read-only"_s));
        QCOMPARE(dw::writeProblemText(u"Something odd"_s), u"Something odd"_s);
    }

    void oneWriterPerModule()
    {
        const QString module = m_dir.filePath(u"catalog/m"_s);
        {
            auto first = dw::ModuleLock::acquire(module);
            QVERIFY(first.ok());
            QCOMPARE(dw::ModuleLock::holder(module), std::optional<qint64>(QCoreApplication::applicationPid()));
            auto second = dw::ModuleLock::acquire(module);
            QVERIFY(!second.ok());
            QVERIFY2(second.error().message.contains(u"being written by another process"_s),
                     qPrintable(second.error().message));
            QVERIFY(second.error().message.contains(QString::number(QCoreApplication::applicationPid())));
        }  // the lock goes with its holder
        QVERIFY(!dw::ModuleLock::holder(module));
        QVERIFY(dw::ModuleLock::acquire(module).ok());
    }

    // A lock left by a process that is gone (kill -9) does not block the next writer.
    void aStaleLockIsTakenOver()
    {
        const QString module = m_dir.filePath(u"catalog/stale"_s);
        QProcess gone;  // its PID, printed by itself: processId() is 0 once a process has ended
        gone.start(u"/bin/sh"_s, {u"-c"_s, u"echo $$"_s});
        QVERIFY(gone.waitForFinished());
        const qint64 deadPid = gone.readAllStandardOutput().trimmed().toLongLong();
        QVERIFY(deadPid > 0);
        QFile lock(dw::ModuleLock::lockPath(module));
        QVERIFY(QDir().mkpath(QFileInfo(lock.fileName()).path()));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write(QByteArray::number(deadPid) + "\ndeepwb\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        lock.close();
        QVERIFY(!dw::ModuleLock::holder(module));
        QVERIFY(dw::ModuleLock::acquire(module).ok());
    }
};

QTEST_GUILESS_MAIN(TestFileCommit)
#include "test_file_commit.moc"
