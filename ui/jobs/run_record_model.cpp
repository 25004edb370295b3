#include "ui/jobs/run_record_model.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace dw {

namespace {

QDateTime startOf(const JobInfo &info)
{
    return info.started.isValid() ? info.started : info.created;
}

QString resultText(const QJsonValue &result)
{
    if (result.isString())
        return result.toString();
    if (result.isDouble())
        return QString::number(result.toDouble(), 'g', 6);
    if (result.isArray())
        return QObject::tr("%1 items").arg(result.toArray().size());
    if (!result.isObject())
        return {};
    const QJsonObject json = result.toObject();
    QStringList parts;
    if (json.contains(QStringLiteral("module"))) {
        const QString id = json.value(QStringLiteral("id")).toString();
        parts << QObject::tr("module %1")
                     .arg(id.isEmpty() ? QFileInfo(json.value(QStringLiteral("module")).toString()).fileName() : id);
    }
    if (json.contains(QStringLiteral("best_epoch")))
        parts << QObject::tr("best epoch %1").arg(json.value(QStringLiteral("best_epoch")).toInt());
    const QJsonObject metrics = json.value(QStringLiteral("metrics")).toObject();
    for (auto it = metrics.begin(); it != metrics.end() && parts.size() < 4; ++it)
        if (it.value().isDouble())
            parts << QStringLiteral("%1 %2").arg(it.key(), QString::number(it.value().toDouble(), 'g', 4));
    if (const QJsonArray predictions = json.value(QStringLiteral("predictions")).toArray(); !predictions.isEmpty())
        parts << (predictions.size() == 1 ? QObject::tr("1 prediction")
                                          : QObject::tr("%1 predictions").arg(predictions.size()));
    if (const QJsonArray files = json.value(QStringLiteral("files")).toArray(); !files.isEmpty())
        parts << (files.size() == 1 ? QObject::tr("1 file") : QObject::tr("%1 files").arg(files.size()));
    if (parts.isEmpty() && json.contains(QStringLiteral("path")))
        parts << QFileInfo(json.value(QStringLiteral("path")).toString()).fileName();
    if (!parts.isEmpty())
        return parts.join(QStringLiteral(", "));
    QString compact = QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
    return compact.size() > 80 ? compact.left(77) + QStringLiteral("…") : compact;
}

}  // namespace

RunRecordModel::RunRecordModel(QObject *parent) : QAbstractTableModel(parent)
{}

void RunRecordModel::setRecords(QList<JobInfo> records)
{
    beginResetModel();
    m_records = std::move(records);
    endResetModel();
}

const JobInfo *RunRecordModel::recordAt(int row) const
{
    return row >= 0 && row < m_records.size() ? &m_records.at(row) : nullptr;
}

int RunRecordModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RunRecordModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double RunRecordModel::durationSeconds(const JobInfo &info)
{
    if (!info.started.isValid() || !info.finished.isValid())
        return -1.0;
    return double(info.started.msecsTo(info.finished)) / 1000.0;
}

QString RunRecordModel::durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 60)
        return tr("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 whole = qint64(seconds + 0.5);
    if (whole < 3600)
        return tr("%1 min %2 s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString RunRecordModel::outcomeText(const JobInfo &info)
{
    if (info.state == JobState::Failed)
        return info.error.isEmpty() ? tr("failed") : info.error.section(QLatin1Char('\n'), 0, 0);
    const QString result = resultText(info.result.toJsonValue());
    if (!result.isEmpty())
        return result;
    if (info.message.isEmpty() && info.state == JobState::Cancelled)
        return tr("cancelled by the user");
    return info.message;
}

QVariant RunRecordModel::data(const QModelIndex &index, int role) const
{
    const JobInfo *info = index.isValid() ? recordAt(index.row()) : nullptr;
    if (!info || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == IdRole)
        return info->id;
    const int column = index.column();
    if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole) {
        switch (column) {
        case Title:
            return info->title.isEmpty() ? info->id : info->title;
        case Kind:
            return info->kind;
        case Started:
            if (role == SortRole)
                return startOf(*info);
            return startOf(*info).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Duration:
            if (role == SortRole)
                return durationSeconds(*info);
            return durationText(durationSeconds(*info));
        case Device:
            return info->device.isEmpty() ? QStringLiteral("—") : info->device;
        case State:
            return jobStateName(info->state);
        case Outcome:
            return outcomeText(*info);
        default:
            break;
        }
    }
    if (role == Qt::ForegroundRole && column == State) {
        switch (info->state) {
        case JobState::Failed:
            return QBrush(QColor(0xc6, 0x28, 0x28));
        case JobState::Done:
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        case JobState::Cancelled:
            return QBrush(QColor(0x75, 0x75, 0x75));
        default:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole && column == Duration)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunRecordModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Title:
        return tr("Run");
    case Kind:
        return tr("Kind");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Device:
        return tr("Device");
    case State:
        return tr("State");
    case Outcome:
        return tr("Result");
    default:
        return {};
    }
}

}  // namespace dw
