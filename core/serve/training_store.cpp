#include "core/serve/training_store.h"

#include "core/util/file_commit.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

bool isUuid(const QString &text)
{
    static const QRegularExpression pattern(u"^[0-9a-f]{32}$"_s);
    return pattern.match(text).hasMatch();
}

}  // namespace

TrainingStore::TrainingStore(QString directory) : m_directory(std::move(directory))
{}

QString TrainingStore::newUuid()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

int TrainingStore::load()
{
    m_records.clear();
    m_problems.clear();
    const QDir dir(m_directory);
    for (const QString &name : dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            m_problems.append(u"%1: cannot be read (%2)"_s.arg(file.fileName(), file.errorString()));
            continue;
        }
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(file.read(4 * 1024 * 1024), &error);
        TrainingRecord record = TrainingRecord::fromJson(doc.object());
        if (error.error != QJsonParseError::NoError || !isUuid(record.uuid) || name != record.uuid + u".json"_s) {
            m_problems.append(u"%1: not a training record, skipped"_s.arg(file.fileName()));
            continue;
        }
        if (!record.isFinished()) {
            // Its server stopped while it ran: no job carries it on.
            record.status = u"error"_s;
            record.state = u"interrupted"_s;
            record.message = record.moduleId.isEmpty()
                                 ? u"interrupted: the server stopped while this training ran; start it again"_s
                                 : u"interrupted: the server stopped while this training ran; POST the same arguments "
                                   u"with resume=true to "
                                   "continue the module \"%1\" from its last checkpoint"_s.arg(record.moduleId);
            record.jobId.clear();
            // When it stopped is not known (the server was killed): no finish_date, rather than
            // the time of this restart.
            m_records.insert(record.uuid, record);
            (void)save(record);
            continue;
        }
        record.jobId.clear();
        m_records.insert(record.uuid, record);
    }
    return int(m_records.size());
}

QList<TrainingRecord> TrainingStore::records(const QString &model) const
{
    QList<TrainingRecord> out;
    for (const TrainingRecord &record : m_records) {
        if (model.isEmpty() || record.model == model)
            out.append(record);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const TrainingRecord &a, const TrainingRecord &b) { return a.date < b.date; });
    return out;
}

const TrainingRecord *TrainingStore::find(const QString &uuid) const
{
    const auto it = m_records.constFind(uuid);
    return it == m_records.cend() ? nullptr : &*it;
}

TrainingRecord *TrainingStore::find(const QString &uuid)
{
    const auto it = m_records.find(uuid);
    return it == m_records.end() ? nullptr : &*it;
}

Result<void> TrainingStore::save(const TrainingRecord &record)
{
    if (!isUuid(record.uuid))
        return failure(u"\"%1\" is not a training id"_s.arg(record.uuid), u"uuid"_s);
    m_records.insert(record.uuid, record);
    if (!QDir().mkpath(m_directory))
        return failure(u"cannot create the folder %1 for training records: check its permissions"_s.arg(m_directory));
    return writeFileAtomically(QDir(m_directory).filePath(record.uuid + u".json"_s),
                               QJsonDocument(record.toJson()).toJson(), u"the training record"_s);
}

Result<void> TrainingStore::remove(const QString &uuid)
{
    if (!m_records.remove(uuid))
        return failure(u"there is no training %1"_s.arg(uuid), u"uuid"_s);
    const QString path = QDir(m_directory).filePath(uuid + u".json"_s);
    if (QFile::exists(path) && !QFile::remove(path))
        return failure(u"cannot remove %1: check its permissions"_s.arg(path));
    return success();
}

}  // namespace dw
