#pragma once
// Follows a file that another program appends rows to (tail -F): polls it with a QTimer and
// reads at once when QFileSystemWatcher says it changed. Starts at the end of the file
// (a partial last line there is skipped up to its break) unless asked to read from the
// start; keeps a partial last line until its break arrives; a file that shrinks was
// truncated (read again from its start), a path that now names another file was rotated
// (the rest of the old one is read, then the new one from its start); both are messages.
#include "core/io/line_source.h"

#include <QFile>
#include <QFileSystemWatcher>
#include <QTimer>

namespace dw {

class FileFollower : public LineSource {
    Q_OBJECT
public:
    explicit FileFollower(QString path, bool fromStart = false, QObject *parent = nullptr);
    ~FileFollower() override;

    void setPollInterval(int milliseconds);  // 250 by default

    // Errors: no such file, a folder, a file that cannot be read.
    Result<void> start() override;
    void stop() override;
    QString description() const override { return m_path; }

    // Reads what has been appended since the last look (the timer and the watcher call it).
    void poll();

private:
    Result<void> open(bool fromStart);
    void readAppended();
    void finishOldFile();

    QString m_path;
    bool m_fromStart = false;
    QFile m_file;
    qint64 m_offset = 0;
    quint64 m_fileId = 0;        // the inode of the open file (0 where unknown)
    bool m_skipPartial = false;  // started inside a line: skip up to its break
    bool m_missingReported = false;
    LineSplitter m_splitter;
    QTimer m_timer;
    QFileSystemWatcher m_watcher;
};

}  // namespace dw
