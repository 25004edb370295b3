#include "core/jobs/run_record_list.h"

#include "core/jobs/run_record.h"

#include <QDir>

#include <algorithm>

namespace dw {

RunRecordList readRunRecords(const QString &directory, const std::atomic_bool *cancel)
{
    RunRecordList list;
    list.directory = directory;
    const QDir dir(directory);
    // QSaveFile's temporary files are not records; only the committed <id>.json are.
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        if (cancel && cancel->load())
            break;
        Result<JobInfo> record = readRunRecord(dir.filePath(name));
        if (record)
            list.records << std::move(record).value();
        else
            list.skipped << QStringLiteral("%1: %2").arg(name, record.error().text());
    }
    std::stable_sort(list.records.begin(), list.records.end(), [](const JobInfo &a, const JobInfo &b) {
        if (a.created != b.created)
            return a.created > b.created;
        return a.id > b.id;
    });
    return list;
}

}  // namespace dw
