// Writing a file all or nothing. QSaveFile writes beside the target and renames, but its
// commit() can report success when the last buffered bytes did not fit on the disk (a
// 0-byte module.json on a full disk): commitFile() flushes and checks first. Messages
// name the file and, for a full disk or a file-size limit, say so and what to do.
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

class QSaveFile;

namespace dw {

// "No space left on device" → "the disk is full: free some space on it and try again", etc.
QString writeProblemText(const QString &errorString);

// Flushes, checks and commits an open QSaveFile; on any failure the target is left as it
// was and the error says why. `what` names the file for the user ("the checkpoint").
Result<void> commitFile(QSaveFile &file, const QString &what, const QString &field = {});

// Writes bytes to path through a QSaveFile and commitFile().
Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes, const QString &what,
                                 const QString &field = {});

// For writers that stream into a QSaveFile through a callback that must not fail half-way
// (LibTorch's archive writer aborts the process when its sink comes up short): the sink
// always accepts the bytes, remembers the first failure, and commitFile() reports it.
class SaveFileSink {
public:
    explicit SaveFileSink(QSaveFile &file) : m_file(file) {}
    std::size_t write(const void *bytes, std::size_t size);
    bool failed() const { return m_failed; }

private:
    QSaveFile &m_file;
    bool m_failed = false;
};

}  // namespace dw
