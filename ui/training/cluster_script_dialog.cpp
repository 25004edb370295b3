#include "ui/training/cluster_script_dialog.h"

#include "core/catalog/catalog.h"
#include "core/jobs/cluster_job_files.h"
#include "core/jobs/job_manager.h"
#include "ui/jobs/job_callbacks.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>

namespace dw {

namespace {

QLineEdit *lineEdit(const QString &objectName, const QString &text, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(text, parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    return edit;
}

QSpinBox *spinBox(const QString &objectName, int minimum, int maximum, int value, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(minimum, maximum);
    box->setValue(value);
    return box;
}

}  // namespace

ClusterScriptDialog::ClusterScriptDialog(JobManager &jobs, QString catalogDirectory, QStringList command,
                                         const QStringList &pathFlags, QWidget *parent)
    : QDialog(parent), m_jobs(jobs), m_catalogDirectory(std::move(catalogDirectory)), m_command(std::move(command))
{
    setObjectName(QStringLiteral("clusterScriptDialog"));
    setWindowTitle(tr("Run on a Cluster"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Writes a Slurm batch script that runs this training on a cluster, one rank per GPU "
                                "(<tt>deepwb %1 … --distributed</tt>), and the archive of the module it starts "
                                "from. Copy the folder to the cluster and submit the script there with "
                                "<tt>sbatch</tt>.")
                                 .arg(m_command.value(0).toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *columns = new QHBoxLayout;
    auto *jobBox = new QGroupBox(tr("Slurm job"), this);
    auto *jobForm = new QFormLayout(jobBox);
    m_nodes = spinBox(QStringLiteral("clusterNodes"), 1, 10000, 1, jobBox);
    m_gpus = spinBox(QStringLiteral("clusterGpusPerNode"), 0, 64, 1, jobBox);
    m_gpus->setSpecialValueText(tr("none (CPUs)"));
    m_tasks = spinBox(QStringLiteral("clusterTasksPerNode"), 1, 1024, 1, jobBox);
    m_tasks->setToolTip(tr("Ranks per node when training on CPUs; with GPUs, one rank per GPU."));
    m_cpus = spinBox(QStringLiteral("clusterCpusPerTask"), 1, 4096, 8, jobBox);
    m_cpus->setToolTip(tr("CPU cores of each rank: they decode and augment its images."));
    m_partition = lineEdit(QStringLiteral("clusterPartition"), {}, tr("the default"), jobBox);
    m_time = lineEdit(QStringLiteral("clusterTimeLimit"), QStringLiteral("04:00:00"),
                      tr("HH:MM:SS or D-HH:MM:SS; empty: the partition's"), jobBox);
    m_account = lineEdit(QStringLiteral("clusterAccount"), {}, tr("your default"), jobBox);
    jobForm->addRow(tr("&Nodes:"), m_nodes);
    jobForm->addRow(tr("&GPUs per node:"), m_gpus);
    jobForm->addRow(tr("T&asks per node:"), m_tasks);
    jobForm->addRow(tr("&CPUs per task:"), m_cpus);
    jobForm->addRow(tr("&Partition:"), m_partition);
    jobForm->addRow(tr("&Time limit:"), m_time);
    jobForm->addRow(tr("Acc&ount:"), m_account);
    columns->addWidget(jobBox, 2);

    auto *clusterBox = new QGroupBox(tr("On the cluster"), this);
    auto *clusterForm = new QFormLayout(clusterBox);
    m_deepwb = lineEdit(QStringLiteral("clusterDeepwb"), QStringLiteral("deepwb"),
                        tr("deepwb's path, or deepwb when on the PATH"), clusterBox);
    m_clusterCatalog = lineEdit(QStringLiteral("clusterCatalog"), {}, tr("deepwb's default catalog"), clusterBox);
    m_clusterCatalog->setToolTip(
        tr("A folder every node sees (a shared file system): the new module is written there."));
    clusterForm->addRow(tr("&deepwb:"), m_deepwb);
    clusterForm->addRow(tr("Cata&log folder:"), m_clusterCatalog);
    addPathFields(pathFlags, clusterForm);
    columns->addWidget(clusterBox, 3);
    layout->addLayout(columns);

    auto *outputRow = new QHBoxLayout;
    m_output = lineEdit(QStringLiteral("clusterOutputFolder"),
                        QDir::toNativeSeparators(QDir::home().filePath(QStringLiteral("deepwb-cluster"))),
                        tr("the folder to copy to the cluster"), this);
    auto *browseButton = new QPushButton(tr("&Browse…"), this);
    browseButton->setObjectName(QStringLiteral("clusterBrowse"));
    auto *outputLabel = new QLabel(tr("Write to &folder:"), this);
    outputLabel->setBuddy(m_output);
    outputRow->addWidget(outputLabel);
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browseButton);
    layout->addLayout(outputRow);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("clusterPreview"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setMinimumHeight(fontMetrics().height() * 8);
    layout->addWidget(m_preview, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("clusterStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);  // every text put in is escaped
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_write = buttons->addButton(tr("&Write Files"), QDialogButtonBox::ActionRole);
    m_write->setObjectName(QStringLiteral("writeClusterFiles"));
    m_write->setDefault(true);
    layout->addWidget(buttons);
    resize(860, 620);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_write, &QPushButton::clicked, this, &ClusterScriptDialog::writeFiles);
    connect(browseButton, &QPushButton::clicked, this, &ClusterScriptDialog::browse);
    connect(m_gpus, &QSpinBox::valueChanged, this, [this](int gpus) { m_tasks->setEnabled(gpus == 0); });
    m_tasks->setEnabled(m_gpus->value() == 0);
    for (QSpinBox *box : {m_nodes, m_gpus, m_tasks, m_cpus})
        connect(box, &QSpinBox::valueChanged, this, &ClusterScriptDialog::updatePreview);
    for (QLineEdit *edit : {m_partition, m_time, m_account, m_deepwb, m_clusterCatalog})
        connect(edit, &QLineEdit::textChanged, this, &ClusterScriptDialog::updatePreview);
    for (const PathField &field : std::as_const(m_paths))
        connect(field.edit, &QLineEdit::textChanged, this, &ClusterScriptDialog::updatePreview);
    updatePreview();
}

void ClusterScriptDialog::addPathFields(const QStringList &pathFlags, QFormLayout *form)
{
    // "--data DIR", "--raster A --raster B": a field per value, filled with the path here.
    for (qsizetype i = 0; i + 1 < m_command.size(); ++i) {
        const QString word = m_command.at(i);
        if (!word.startsWith(QLatin1String("--")) || !pathFlags.contains(word.mid(2)))
            continue;
        auto *edit = lineEdit(QStringLiteral("clusterPath-%1").arg(word.mid(2)), m_command.at(i + 1),
                              tr("the same path on the cluster"), form->parentWidget());
        edit->setToolTip(tr("Here: %1").arg(QDir::toNativeSeparators(m_command.at(i + 1))));
        form->addRow(tr("%1 there:").arg(word), edit);
        m_paths.append({i + 1, edit});
        ++i;
    }
}

QStringList ClusterScriptDialog::command() const
{
    QStringList command = m_command;
    for (const PathField &field : m_paths)
        command[field.index] = QDir::fromNativeSeparators(field.edit->text().trimmed());
    return command;
}

SlurmJob ClusterScriptDialog::job() const
{
    SlurmJob job;
    job.nodes = m_nodes->value();
    job.gpusPerNode = m_gpus->value();
    job.tasksPerNode = job.gpusPerNode > 0 ? 0 : m_tasks->value();
    job.cpusPerTask = m_cpus->value();
    job.partition = m_partition->text().trimmed();
    job.timeLimit = m_time->text().trimmed();
    job.account = m_account->text().trimmed();
    job.deepwb = m_deepwb->text().trimmed();
    job.catalog = m_clusterCatalog->text().trimmed();
    job.command = command();
    return job;
}

QString ClusterScriptDialog::outputFolder() const
{
    return QDir::fromNativeSeparators(m_output->text().trimmed());
}

void ClusterScriptDialog::setOutputFolder(const QString &folder)
{
    m_output->setText(QDir::toNativeSeparators(folder));
}

void ClusterScriptDialog::browse()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the Cluster Job"), outputFolder());
    if (!chosen.isEmpty())
        setOutputFolder(chosen);
}

void ClusterScriptDialog::updatePreview()
{
    // The line the ranks run, as the script will have it (the module a re-training starts from
    // is archived and imported by its id).
    const SlurmJob current = job();
    m_preview->setPlainText(shellCommand(slurmRunCommand(current)));
    const Result<void> valid = validateSlurmJob(current);
    m_status->setStyleSheet(valid ? QString() : QStringLiteral("color: #b00020;"));
    m_status->setText(valid ? tr("%n rank(s) in all.", nullptr, current.nodes * slurmTasksPerNode(current))
                            : valid.error().message.toHtmlEscaped());
}

void ClusterScriptDialog::showProblem(const QString &message)
{
    m_status->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_status->setText(message.toHtmlEscaped());
    Q_EMIT writeFailed(message);
}

QString ClusterScriptDialog::writeFiles()
{
    if (!m_job.isEmpty())
        return m_job;
    const SlurmJob slurm = job();
    if (Result<void> valid = validateSlurmJob(slurm); !valid) {
        showProblem(valid.error().message);
        return {};
    }
    const QString folder = outputFolder();
    if (folder.isEmpty()) {
        showProblem(tr("Choose the folder to write the files to (Browse…)."));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Cluster job %1").arg(slurmJobName(slurm));
    spec.kind = QStringLiteral("cluster-script");
    spec.queue = JobQueue::Cpu;
    // The catalog is read and the module archived on a worker thread: an archive can be gigabytes.
    spec.function = [slurm, folder, catalogDir = m_catalogDirectory](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.0, QObject::tr("reading the catalog"));
        Catalog catalog(catalogDir);
        catalog.scan();
        QStringList command = slurm.command;
        Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, catalog);
        if (!shipped)
            return shipped.error();
        SlurmJob job = slurm;
        job.command = command;
        const ArchiveProgress progress = [&context](qint64 done, qint64 total) {
            if (total > 0)
                context.setProgress(done, total, QObject::tr("archiving the module"));
            return !context.isCancelled();
        };
        Result<ClusterJobFiles> files = writeClusterJob(job, folder, *shipped, progress);
        if (!files)
            return files.error();
        QFile script(files->script);
        const QString text = script.open(QIODevice::ReadOnly) ? QString::fromUtf8(script.readAll()) : QString();
        return QVariant(QVariantMap{{QStringLiteral("script"), files->script},
                                    {QStringLiteral("archive"), files->archive},
                                    {QStringLiteral("text"), text}});
    };
    m_job = m_jobs.submit(std::move(spec));
    m_write->setEnabled(false);
    m_status->setStyleSheet({});
    m_status->setText(tr("Writing the files… (an archive's progress shows in the Jobs panel)"));
    whenJobFinished(m_jobs, m_job, this, [this, folder](const JobInfo &finished) {
        m_job.clear();
        m_write->setEnabled(true);
        if (finished.state != JobState::Done) {
            showProblem(finished.state == JobState::Cancelled ? tr("Cancelled: no file was written.") : finished.error);
            return;
        }
        const QVariantMap result = finished.result.toMap();
        const QString script = result.value(QStringLiteral("script")).toString();
        const QString archive = result.value(QStringLiteral("archive")).toString();
        const QString text = result.value(QStringLiteral("text")).toString();
        m_preview->setPlainText(text);
        // The line the ranks run, in view: the one to check.
        QTextCursor cursor = m_preview->textCursor();
        cursor.setPosition(int(std::max<qsizetype>(0, text.indexOf(QStringLiteral("\nsrun ")) + 1)));
        m_preview->setTextCursor(cursor);
        m_preview->centerCursor();
        const QString submit = QStringLiteral("cd %1 && sbatch %2")
                                   .arg(shellQuote(QDir::cleanPath(folder)), shellQuote(QFileInfo(script).fileName()));
        m_status->setStyleSheet({});
        const QString wrote = archive.isEmpty()
                                  ? tr("Wrote %1.").arg(QDir::toNativeSeparators(script))
                                  : tr("Wrote %1 and the module archive %2.")
                                        .arg(QDir::toNativeSeparators(script), QDir::toNativeSeparators(archive));
        m_status->setText(
            wrote.toHtmlEscaped() + QStringLiteral("<br>") +
            tr("Copy the folder to the cluster and submit the job there: <tt>%1</tt>").arg(submit.toHtmlEscaped()));
        Q_EMIT filesWritten(script, archive);
    });
    return m_job;
}

}  // namespace dw
