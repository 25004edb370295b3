#pragma once
// The REST API's trainings, one JSON file each (<directory>/<uuid>.json, written atomically),
// read back when a server starts: trainings survive a restart. One that was still running
// when its server stopped is marked as interrupted (status "error").
#include "core/serve/training_record.h"
#include "core/util/result.h"

#include <QList>
#include <QMap>
#include <QString>

namespace dw {

class TrainingStore {
public:
    explicit TrainingStore(QString directory);

    // Reads every record; returns how many were found. Broken files are skipped, listed in
    // problems().
    int load();
    const QString &directory() const { return m_directory; }
    const QStringList &problems() const { return m_problems; }

    QList<TrainingRecord> records(const QString &model = {}) const;  // oldest first
    const TrainingRecord *find(const QString &uuid) const;
    TrainingRecord *find(const QString &uuid);
    Result<void> save(const TrainingRecord &record);  // inserts or replaces, and writes it
    Result<void> remove(const QString &uuid);

    static QString newUuid();

private:
    QString m_directory;
    QMap<QString, TrainingRecord> m_records;
    QStringList m_problems;
};

}  // namespace dw
