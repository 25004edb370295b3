#include "core/io/file_follower.h"

#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace dw {

namespace {

constexpr qint64 kChunk = 1 << 20;

// The identity of the file a path names now: its inode (0 where unknown or missing).
quint64 fileIdOf(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) == 0)
        return quint64(info.st_ino) ^ (quint64(info.st_dev) << 40);
#else
    Q_UNUSED(path);
#endif
    return 0;
}

}  // namespace

FileFollower::FileFollower(QString path, bool fromStart, QObject *parent)
    : LineSource(parent), m_path(std::move(path)), m_fromStart(fromStart)
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &FileFollower::poll);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FileFollower::poll);
}

FileFollower::~FileFollower() = default;

void FileFollower::setPollInterval(int milliseconds)
{
    m_timer.setInterval(std::max(1, milliseconds));
}

Result<void> FileFollower::start()
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return failure(QStringLiteral("%1 does not exist: give the file that rows are appended to").arg(m_path));
    if (!info.isFile())
        return failure(QStringLiteral("%1 is not a file: give the file that rows are appended to").arg(m_path));
    if (Result<void> opened = open(m_fromStart); !opened)
        return opened;
    m_watcher.addPath(m_path);
    m_timer.start();
    m_active = true;
    if (m_fromStart)
        QTimer::singleShot(0, this, &FileFollower::poll);
    return success();
}

void FileFollower::stop()
{
    m_active = false;
    m_timer.stop();
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    m_file.close();
}

Result<void> FileFollower::open(bool fromStart)
{
    m_file.close();
    m_file.setFileName(m_path);
    // Unbuffered: a buffer would keep what it saw at the end of the file before more came.
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return failure(QStringLiteral("cannot read %1: %2").arg(m_path, m_file.errorString()));
    m_fileId = fileIdOf(m_path);
    m_splitter.clear();
    m_offset = fromStart ? 0 : m_file.size();
    m_skipPartial = false;
    if (!fromStart && m_offset > 0 && m_file.seek(m_offset - 1))
        m_skipPartial = m_file.read(1) != "\n";  // a row being written: its end is not a row
    return success();
}

void FileFollower::poll()
{
    if (!m_file.isOpen())
        return;
    const bool exists = QFileInfo::exists(m_path);
    const quint64 id = exists ? fileIdOf(m_path) : 0;
    if (!exists) {
        if (!m_missingReported)
            Q_EMIT message(QStringLiteral("%1 was removed or renamed: waiting for it to come back").arg(m_path));
        m_missingReported = true;
        readAppended();  // a writer may still append to the renamed file
        return;
    }
    if (m_missingReported || (id != 0 && id != m_fileId)) {
        finishOldFile();
        m_missingReported = false;
        if (Result<void> opened = open(true); !opened) {
            Q_EMIT errorOccurred(opened.error().message);
            return;
        }
        Q_EMIT message(QStringLiteral("%1 was replaced (rotated): reading the new file from its start").arg(m_path));
        if (!m_watcher.files().contains(m_path))
            m_watcher.addPath(m_path);
    } else if (m_file.size() < m_offset) {
        Q_EMIT message(QStringLiteral("%1 was truncated: reading it again from its start").arg(m_path));
        m_offset = 0;
        m_splitter.clear();
        m_skipPartial = false;
    }
    readAppended();
}

void FileFollower::readAppended()
{
    const qint64 size = m_file.size();
    if (size <= m_offset)
        return;
    if (!m_file.seek(m_offset)) {
        Q_EMIT errorOccurred(QStringLiteral("cannot read %1: %2").arg(m_path, m_file.errorString()));
        return;
    }
    while (m_offset < size && m_file.isOpen()) {
        QByteArray bytes = m_file.read(std::min(kChunk, size - m_offset));
        if (bytes.isEmpty()) {
            if (m_file.error() != QFileDevice::NoError)
                Q_EMIT errorOccurred(QStringLiteral("cannot read %1: %2").arg(m_path, m_file.errorString()));
            return;
        }
        m_offset += bytes.size();
        if (m_skipPartial) {
            const qsizetype end = bytes.indexOf('\n');
            if (end < 0)
                continue;
            bytes.remove(0, end + 1);
            m_skipPartial = false;
        }
        deliverFrom(m_splitter, bytes);
    }
}

void FileFollower::finishOldFile()
{
    readAppended();
    const QByteArray rest = m_splitter.takeRest();  // the old file will not grow any more
    if (!rest.isEmpty())
        deliver(rest);
}

}  // namespace dw
