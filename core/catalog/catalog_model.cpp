#include "core/catalog/catalog_model.h"

namespace dw {
namespace {

QStringList problemTexts(const CatalogEntry &entry)
{
    QStringList texts;
    texts.reserve(entry.problems.size());
    for (const ValidationProblem &p : entry.problems)
        texts << p.text();
    return texts;
}

}  // namespace

CatalogModel::CatalogModel(QObject *parent) : QAbstractListModel(parent)
{}

void CatalogModel::setEntries(QList<CatalogEntry> entries)
{
    // A rescan can add, drop and reorder modules all at once; a reset is the honest signal.
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void CatalogModel::setAvailableTasks(QStringList tasks)
{
    if (tasks == m_availableTasks)
        return;
    m_availableTasks = std::move(tasks);
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_entries.size()) - 1), {PluginAvailableRole});
}

const CatalogEntry *CatalogModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int CatalogModel::rowOf(const QString &id) const
{
    for (qsizetype row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).id() == id)
            return int(row);
    return -1;
}

int CatalogModel::rowCount(const QModelIndex &parent) const
{
    // A list: only the invisible root has children.
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant CatalogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CatalogEntry &entry = m_entries.at(index.row());
    const ModuleManifest &m = entry.manifest;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        // A broken manifest may have no title; the folder name still identifies it.
        return m.title.isEmpty() ? entry.id() : m.title;
    case Qt::ToolTipRole:
        return entry.isValid() ? m.summary : problemTexts(entry).join(QLatin1Char('\n'));
    case IdRole:
        return entry.id();
    case SummaryRole:
        return m.summary;
    case DescriptionRole:
        return m.description;
    case TaskRole:
        return m.task;
    case KeywordsRole:
        return m.keywords;
    case LicenseRole:
        return m.license;
    case ValidRole:
        return entry.isValid();
    case ProblemsRole:
        return problemTexts(entry);
    case BuiltInRole:
        return entry.builtIn;
    case TemplateRole:
        return m.isTemplate();
    case BeingWrittenRole:
        return entry.beingWritten;
    case InterruptedRole:
        return entry.interrupted;
    case MetricsRole:
        return m.metrics;
    case PathRole:
        return entry.path;
    case PluginAvailableRole:
        return !m.task.isEmpty() && m_availableTasks.contains(m.task);
    case SearchTextRole:
        return QStringList{m.title, m.summary, m.description, m.keywords.join(QLatin1Char(' '))}
            .join(QLatin1Char(' '))
            .toLower();
    default:
        return {};
    }
}

QHash<int, QByteArray> CatalogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {TitleRole, "title"},
                  {SummaryRole, "summary"},
                  {DescriptionRole, "description"},
                  {TaskRole, "task"},
                  {KeywordsRole, "keywords"},
                  {LicenseRole, "license"},
                  {ValidRole, "valid"},
                  {ProblemsRole, "problems"},
                  {BuiltInRole, "builtIn"},
                  {TemplateRole, "isTemplate"},
                  {PathRole, "path"},
                  {PluginAvailableRole, "pluginAvailable"},
                  {SearchTextRole, "searchText"},
                  {BeingWrittenRole, "beingWritten"},
                  {InterruptedRole, "interrupted"},
                  {MetricsRole, "metrics"}});
    return names;
}

}  // namespace dw
