#pragma once
// All the run records of a folder, for the Runs view: the readable ones newest first, and
// the files that could not be read, each with why (a half-copied or hand-edited file must
// not hide the others). Reads every file: call it off the GUI thread.
#include "core/jobs/job.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>

namespace dw {

struct RunRecordList {
    QString directory;
    QList<JobInfo> records;  // newest first (created, else id)
    QStringList skipped;     // "file: why", one per unreadable record
};

// A missing folder is an empty list (no job has run yet). cancel: checked between files.
RunRecordList readRunRecords(const QString &directory, const std::atomic_bool *cancel = nullptr);

}  // namespace dw
