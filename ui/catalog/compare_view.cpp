#include "ui/catalog/compare_view.h"

#include "core/catalog/manifest_differences.h"
#include "core/catalog/module_run_data.h"
#include "ui/catalog/compare_curves.h"
#include "ui/catalog/json_text.h"
#include "ui/catalog/metric_text.h"

#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace dw {

namespace {

struct MetricRow {
    QString name;               // what the table shows
    QList<QJsonValue> values;   // one per module; undefined where it has none
    QString key;                // the metric's key ("val_top1"): its unit and which way is better
    bool describesRun = false;  // epoch counts: neither more nor fewer is better
};

QTableWidget *makeTable(QWidget *parent, const QString &objectName)
{
    auto *table = new QTableWidget(parent);
    table->setObjectName(objectName);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QWidget *titled(QWidget *parent, const QString &title, QWidget *body, QWidget *extra = nullptr)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box);
    layout->addWidget(label);
    if (extra)
        layout->addWidget(extra);
    layout->addWidget(body, 1);
    return box;
}

// Losses, errors and times are better low; accuracies, F1, PSNR, SSIM better high.
bool lowerIsBetter(const QString &name)
{
    const QString n = name.toLower();
    for (const char *low : {"loss", "error", "mae", "mse", "rmse", "l1", "seconds"})
        if (n.contains(QLatin1String(low)))
            return true;
    return false;
}

QString cellText(const MetricRow &row, const QJsonValue &value)
{
    return value.isUndefined() ? QStringLiteral("—") : metricValue(row.key, value);
}

void setHeaders(QTableWidget *table, const QStringList &first, const QStringList &titles)
{
    table->setColumnCount(int(first.size() + titles.size()));
    table->setHorizontalHeaderLabels(first + titles);
    for (int i = 0; i < titles.size(); ++i)
        table->horizontalHeaderItem(int(first.size()) + i)->setForeground(CompareCurves::moduleColor(i));
}

QList<MetricRow> metricRows(const QList<CatalogEntry> &entries, const QList<ModuleRunData> &runs)
{
    QList<MetricRow> rows;
    const qsizetype n = entries.size();
    QStringList keys;
    for (const CatalogEntry &entry : entries)
        for (auto it = entry.manifest.metrics.begin(); it != entry.manifest.metrics.end(); ++it)
            if (!it.value().isObject() && !it.value().isArray())
                keys << it.key();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        MetricRow row{metricName(key), {}, key};
        for (const CatalogEntry &entry : entries)
            row.values << (entry.manifest.metrics.contains(key) ? entry.manifest.metrics.value(key)
                                                                : QJsonValue(QJsonValue::Undefined));
        rows << row;
    }

    MetricRow epochs{QObject::tr("Epochs trained"), {}, QStringLiteral("epochs_run"), true},
        best{QObject::tr("Best epoch"), {}, QStringLiteral("best_epoch"), true},
        bestLoss{QObject::tr("Lowest validation loss"), {}, QStringLiteral("val_loss")};
    for (qsizetype i = 0; i < n; ++i) {
        const TrainingHistory &history = runs.value(i).history;
        const QJsonValue none(QJsonValue::Undefined);
        double lowest = std::nan("");
        for (const EpochRecord &r : history.epochs())
            if (std::isfinite(r.valLoss) && !(lowest <= r.valLoss))
                lowest = r.valLoss;
        epochs.values << (history.isEmpty() ? none : QJsonValue(qint64(history.epochs().size())));
        best.values << (history.bestEpoch() > 0 ? QJsonValue(history.bestEpoch()) : none);
        bestLoss.values << (std::isfinite(lowest) ? QJsonValue(lowest) : none);
    }
    rows << epochs << best << bestLoss;

    QStringList classes;
    for (const ModuleRunData &run : runs)
        for (const ClassScore &score : run.perClassF1)
            classes << score.name;
    classes.removeDuplicates();
    for (const QString &name : std::as_const(classes)) {
        MetricRow row{QObject::tr("F1 · %1").arg(name), {}, QStringLiteral("f1")};
        for (qsizetype i = 0; i < n; ++i) {
            QJsonValue value(QJsonValue::Undefined);
            for (const ClassScore &score : runs.value(i).perClassF1)
                if (score.name == name)
                    value = score.f1;
            row.values << value;
        }
        rows << row;
    }
    return rows;
}

}  // namespace

CompareView::CompareView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("compareView"));
    m_curves = new CompareCurves(this);
    m_metrics = makeTable(this, QStringLiteral("compareMetrics"));
    m_differences = makeTable(this, QStringLiteral("compareDifferences"));
    m_sameNote = new QLabel(this);
    m_sameNote->setWordWrap(true);
    m_sameNote->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(titled(tables, tr("Metrics (best of each row in bold)"), m_metrics));
    tables->addWidget(titled(tables, tr("Settings and data that differ"), m_differences, m_sameNote));
    tables->setChildrenCollapsible(false);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_curves);
    splitter->addWidget(tables);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(splitter);
}

QStringList CompareView::titles() const
{
    QStringList titles;
    for (const CatalogEntry &entry : m_entries)
        titles << (entry.manifest.title.isEmpty() ? entry.id() : entry.manifest.title);
    return titles;
}

void CompareView::setModules(const QList<CatalogEntry> &entries)
{
    m_entries = entries;
    showDifferences();
    m_metrics->setRowCount(0);
    m_loading = true;
    const int generation = ++m_generation;
    QList<QPair<QString, QJsonObject>> folders;
    for (const CatalogEntry &entry : entries)
        folders << qMakePair(entry.builtIn ? QString() : entry.path, entry.manifest.metrics);
    auto *watcher = new QFutureWatcher<QList<ModuleRunData>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_loading = false;
        showRuns(watcher->result());
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run([folders] {
        QList<ModuleRunData> runs;
        for (const auto &[folder, metrics] : folders)
            runs << (folder.isEmpty() ? ModuleRunData{} : loadModuleRunData(folder, metrics));
        return runs;
    }));
}

void CompareView::showRuns(const QList<ModuleRunData> &runs)
{
    const QStringList names = titles();
    m_curves->setRuns(names, runs);
    const QList<MetricRow> rows = metricRows(m_entries, runs);
    m_metrics->clear();
    setHeaders(m_metrics, {tr("Metric")}, names);
    m_metrics->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const MetricRow &row = rows.at(r);
        auto *name = new QTableWidgetItem(row.name);
        name->setData(Qt::UserRole, row.key);
        name->setToolTip(row.key);  // the key as the module's files and the CLI write it
        m_metrics->setItem(r, 0, name);
        int bestColumn = -1;
        double bestValue = 0;
        int numbers = 0;
        for (int i = 0; i < row.values.size(); ++i) {
            const QJsonValue value = row.values.at(i);
            auto *cell = new QTableWidgetItem(cellText(row, value));
            if (value.isDouble())
                cell->setToolTip(jsonValueText(value));  // the stored number, unrounded
            m_metrics->setItem(r, i + 1, cell);
            if (!value.isDouble())
                continue;
            ++numbers;
            const double v = value.toDouble();
            if (bestColumn < 0 || (lowerIsBetter(row.key) ? v < bestValue : v > bestValue)) {
                bestColumn = i + 1;
                bestValue = v;
            }
        }
        if (numbers >= 2 && bestColumn > 0 && !row.describesRun) {
            QFont bold = m_metrics->font();
            bold.setBold(true);
            m_metrics->item(r, bestColumn)->setFont(bold);
        }
    }
}

void CompareView::showDifferences()
{
    QList<ModuleManifest> manifests;
    for (const CatalogEntry &entry : std::as_const(m_entries))
        manifests << entry.manifest;
    const QList<SettingDifference> differences = settingDifferences(manifests);
    m_differences->clear();
    setHeaders(m_differences, {tr("Section"), tr("Key")}, titles());
    m_differences->setRowCount(int(differences.size()));
    for (int r = 0; r < differences.size(); ++r) {
        const SettingDifference &d = differences.at(r);
        auto *section = new QTableWidgetItem(
            d.section == SettingDifference::Section::HyperParameters ? tr("hyper-parameter") : tr("training data"));
        section->setData(Qt::UserRole, d.sectionName() + QLatin1Char('.') + d.key);
        m_differences->setItem(r, 0, section);
        m_differences->setItem(r, 1, new QTableWidgetItem(d.key));
        for (int i = 0; i < d.values.size(); ++i) {
            auto *item =
                new QTableWidgetItem(d.values.at(i).isUndefined() ? tr("(not set)") : jsonValueText(d.values.at(i)));
            item->setToolTip(item->text());
            m_differences->setItem(r, i + 2, item);
        }
    }
    m_sameNote->setText(differences.isEmpty() && m_entries.size() >= 2
                            ? tr("The hyper-parameters and training data of these modules are the same.")
                            : QString());
    m_sameNote->setVisible(!m_sameNote->text().isEmpty());
}

QStringList CompareView::differingKeys() const
{
    QStringList keys;
    for (int r = 0; r < m_differences->rowCount(); ++r)
        keys << m_differences->item(r, 0)->data(Qt::UserRole).toString();
    return keys;
}

}  // namespace dw
