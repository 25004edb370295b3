#include "ui/catalog/weights_dialog.h"

#include "core/jobs/job_manager.h"
#include "core/weights/pretrained_weights.h"
#include "core/weights/weight_cache.h"
#include "core/weights/weight_download.h"
#include "ui/catalog/catalog_service.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/recent_folders.h"
#include "ui/workbench_context.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

namespace {
enum Column { Architecture, Variant, File, Size, Top1, Parameters, Cached, ColumnCount };
}

WeightsDialog::WeightsDialog(WorkbenchContext &context, QWidget *parent) : QDialog(parent), m_context(context)
{
    setObjectName(QStringLiteral("weightsDialog"));
    setWindowTitle(tr("Pretrained Weights"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("torchvision's ImageNet weights: a training whose <i>Start from</i> is <b>imagenet</b> (or "
                      "<b>auto</b>) begins with them. They are downloaded once and kept in the cache below. %1")
                       .arg(weights::termsNote().toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("weightsTable"));
    m_table->setHorizontalHeaderLabels({tr("Architecture"), tr("Variant"), tr("File"), tr("MB"), tr("ImageNet top-1"),
                                        tr("Parameters"), tr("In the cache")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const auto &entries = weights::registry();
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < int(entries.size()); ++row) {
        const weights::PretrainedWeights &w = entries[size_t(row)];
        const QStringList cells{w.architecture + (w.isDefault ? tr(" (default)") : QString()),
                                w.variant,
                                w.fileName,
                                QString::number(w.sizeInMiB(), 'f', 1),
                                QStringLiteral("%1 %").arg(w.top1, 0, 'f', 2),
                                QStringLiteral("%1 M").arg(double(w.parameters) / 1e6, 0, 'f', 1),
                                tr("…")};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells.value(column));
            item->setData(Qt::UserRole, w.key());
            item->setToolTip(w.licence);
            m_table->setItem(row, column, item);
        }
    }
    layout->addWidget(m_table, 1);

    auto *actions = new QHBoxLayout;
    m_download = new QPushButton(tr("Download"), this);
    m_download->setObjectName(QStringLiteral("downloadWeights"));
    m_download->setToolTip(
        tr("Download the selected weights into the cache (a job: progress and Cancel in the Jobs dock)"));
    auto *import = new QPushButton(tr("Import File…"), this);
    import->setToolTip(tr("Add a weights file downloaded by hand (e.g. on another computer) to the cache"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setToolTip(tr("Delete the selected weights from the cache"));
    actions->addWidget(m_download);
    actions->addWidget(import);
    actions->addWidget(m_remove);
    actions->addStretch();
    layout->addLayout(actions);

    auto *form = new QFormLayout;
    m_folder = new QLabel(QDir::toNativeSeparators(weights::WeightCache::directory()), this);
    m_folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Cache folder"), m_folder);
    auto *urlRow = new QHBoxLayout;
    m_baseUrl = new QLineEdit(weights::baseUrl(), this);
    m_baseUrl->setObjectName(QStringLiteral("weightsBaseUrl"));
    m_baseUrl->setToolTip(tr("Where the files are downloaded from: torchvision's server, a mirror, or a folder of a "
                             "shared disk. $DEEPWB_WEIGHTS_URL, when set, wins over this setting."));
    auto *save = new QPushButton(tr("Save"), this);
    urlRow->addWidget(m_baseUrl, 1);
    urlRow->addWidget(save);
    form->addRow(tr("Download from"), urlRow);
    if (qEnvironmentVariableIsSet("DEEPWB_WEIGHTS_URL")) {
        m_baseUrl->setEnabled(false);
        save->setEnabled(false);
        form->addRow(QString(), new QLabel(tr("Set by $DEEPWB_WEIGHTS_URL for this session."), this));
    }
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_download, &QPushButton::clicked, this, [this] { downloadSelected(); });
    connect(m_remove, &QPushButton::clicked, this, &WeightsDialog::removeSelected);
    connect(import, &QPushButton::clicked, this, &WeightsDialog::importFile);
    connect(save, &QPushButton::clicked, this, &WeightsDialog::saveBaseUrl);
    connect(&m_context.catalog(), &CatalogService::weightsImported, this, &WeightsDialog::refresh);
    resize(980, 480);
    refresh();
}

QString WeightsDialog::selectedKey() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(Qt::UserRole).toString();
}

void WeightsDialog::refresh()
{
    auto *watcher = new QFutureWatcher<QSet<QString>>(this);
    connect(watcher, &QFutureWatcher<QSet<QString>>::finished, this, [this, watcher] {
        const QSet<QString> cached = watcher->result();
        for (int row = 0; row < m_table->rowCount(); ++row) {
            const bool here = cached.contains(m_table->item(row, 0)->data(Qt::UserRole).toString());
            m_table->item(row, Cached)->setText(here ? tr("yes") : tr("no"));
        }
        watcher->deleteLater();
        Q_EMIT refreshed();
    });
    watcher->setFuture(QtConcurrent::run([] {
        QSet<QString> keys;
        for (const weights::CachedWeights &entry : weights::WeightCache().cachedEntries())
            keys.insert(entry.weights.key());
        return keys;
    }));
}

QString WeightsDialog::downloadSelected()
{
    const weights::PretrainedWeights *entry = weights::find(selectedKey());
    if (!entry) {
        m_context.messages().information(tr("Download weights"), tr("Select the weights to download first."));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Download %1").arg(entry->fileName);
    spec.kind = QStringLiteral("download");
    spec.function = [weights = *entry](JobContext &job) -> Result<QVariant> {
        Result<QString> path = weights::fetchWeights(weights, job);
        if (!path)
            return path.error();
        return QVariant(path.value());
    };
    const QString jobId = m_context.jobs().submit(std::move(spec));
    whenJobFinished(m_context.jobs(), jobId, this, [this, file = entry->fileName](const JobInfo &job) {
        if (job.state == JobState::Done)
            m_context.showStatus(tr("Downloaded %1 into the weights cache").arg(file));
        else if (job.state == JobState::Failed)
            m_context.messages().error(tr("Could not download %1").arg(file), job.error);
        refresh();
    });
    return jobId;
}

void WeightsDialog::removeSelected()
{
    const QString key = selectedKey();
    if (key.isEmpty())
        return;
    m_context.messages().confirm(tr("Remove weights"),
                                 tr("Delete %1 from the weights cache? Trainings will download it again "
                                    "when they need it.")
                                     .arg(key),
                                 tr("Remove"), [this, key] {
                                     auto *watcher = new QFutureWatcher<QString>(this);
                                     connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, key] {
                                         if (const QString problem = watcher->result(); !problem.isEmpty())
                                             m_context.messages().error(tr("Could not remove %1").arg(key), problem);
                                         watcher->deleteLater();
                                         refresh();
                                     });
                                     watcher->setFuture(QtConcurrent::run([key] {
                                         const Result<void> removed = weights::WeightCache().remove(key);
                                         return removed ? QString() : removed.error().text();
                                     }));
                                 });
}

void WeightsDialog::importFile()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Import pretrained weights"),
                                                            RecentFolders::folderFor(QStringLiteral("import")),
                                                            tr("PyTorch weights (*.pth *.pt);;All files (*)"));
    for (const QString &file : files)
        m_context.catalog().importWeights(file);
}

void WeightsDialog::saveBaseUrl()
{
    const QString url = m_baseUrl->text().trimmed();
    weights::setBaseUrl(url == QLatin1String("https://download.pytorch.org/models") ? QString() : url);
    m_baseUrl->setText(weights::baseUrl());
    m_context.showStatus(tr("Pretrained weights will be downloaded from %1").arg(weights::baseUrl()));
}

}  // namespace dw
