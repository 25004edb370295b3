#include "ui/imageclass/classify_workspace.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_model.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "core/util/file_commit.h"
#include "ui/catalog/catalog_service.h"
#include "ui/icons.h"
#include "ui/imageclass/evaluation_view.h"
#include "ui/imageclass/prediction_model.h"
#include "ui/imageclass/prediction_view.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace dw {

namespace {

const QString kTask = QStringLiteral("image-classification");

QString jobFailure(const JobInfo &job)
{
    return job.error.isEmpty() ? QObject::tr("the job ended without saying why; see its log in the Jobs dock")
                               : job.error;
}

}  // namespace

ClassifyWorkspace::ClassifyWorkspace(WorkbenchContext &context, QWidget *parent) : Workspace(context, parent)
{
    setObjectName(QStringLiteral("classifyWorkspace"));
    auto *layout = new QVBoxLayout(this);
    m_moduleLabel = new QLabel(this);
    m_moduleLabel->setObjectName(QStringLiteral("classifyModule"));
    m_moduleLabel->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_moduleLabel, 1);
    // A folder of thousands of images takes a while: its job's progress, here as well as in
    // the Jobs dock.
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("classifyProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMinimumWidth(260);
    m_progress->hide();
    top->addWidget(m_progress);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (!m_followed.isEmpty())
            this->context().jobs().cancel(m_followed);
    });
    top->addWidget(m_cancel);
    layout->addLayout(top);
    m_tabs = new QTabWidget(this);
    m_predictions = new PredictionModel(this);
    m_predictionView = new PredictionView(m_predictions, m_tabs);
    m_evaluationView = new EvaluationView(m_tabs);
    m_tabs->addTab(m_predictionView, tr("Predict"));
    m_tabs->addTab(m_evaluationView, tr("Evaluate"));
    layout->addWidget(m_tabs, 1);

    m_toolBar = new QToolBar(tr("Classify"), this);
    m_toolBar->setObjectName(QStringLiteral("classifyToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // The classifier to use, chosen here too (not only by selecting it in the Catalog).
    m_toolBar->addWidget(new QLabel(tr(" Module: "), m_toolBar));
    m_modulePicker = new QComboBox(m_toolBar);
    m_modulePicker->setObjectName(QStringLiteral("classifyModulePicker"));
    m_modulePicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_modulePicker->setPlaceholderText(tr("Choose a trained classifier"));
    m_modulePicker->setToolTip(tr("The trained image classifier that classifies and evaluates here"));
    connect(m_modulePicker, &QComboBox::activated, this,
            [this](int index) { this->context().setCurrentModule(m_modulePicker->itemData(index).toString()); });
    m_toolBar->addWidget(m_modulePicker);
    m_toolBar->addSeparator();
    QAction *openImages = m_toolBar->addAction(dw::icon(QStringLiteral("import")), tr("Open Images…"), this,
                                               &ClassifyWorkspace::openImages);
    openImages->setToolTip(tr("Classify image files with the selected module (or drop them on the window)"));
    QAction *openFolder = m_toolBar->addAction(dw::icon(QStringLiteral("folder")), tr("Open Folder…"), this,
                                               &ClassifyWorkspace::openFolder);
    openFolder->setToolTip(tr("Classify every image in a folder and its sub-folders"));
    QAction *evaluate = m_toolBar->addAction(dw::icon(QStringLiteral("classify")), tr("Evaluate…"), this,
                                             &ClassifyWorkspace::chooseEvaluationData);
    evaluate->setToolTip(tr("Evaluate the module on labelled images (a folder per class, split files or a CSV)"));
    m_toolBar->addSeparator();
    QAction *csv = m_toolBar->addAction(dw::icon(QStringLiteral("export")), tr("Export CSV…"), this,
                                        [this] { exportTo(QStringLiteral("csv")); });
    QAction *json = m_toolBar->addAction(tr("Export JSON…"), this, [this] { exportTo(QStringLiteral("json")); });
    QAction *copyAction = m_toolBar->addAction(tr("Copy"), this, &ClassifyWorkspace::copy);
    copyAction->setToolTip(tr("Copy the predictions as CSV to the clipboard"));
    m_needsModule = {openImages, openFolder, evaluate};
    m_needsResult = {csv, json, copyAction};

    connect(&context, &WorkbenchContext::currentModuleChanged, this, &ClassifyWorkspace::moduleChanged);
    connect(&context.jobs(), &JobManager::jobChanged, this, &ClassifyWorkspace::updateProgress);
    connect(&context.jobs(), &JobManager::jobFinished, this, &ClassifyWorkspace::updateProgress);
    connect(&context.catalog(), &CatalogService::scanFinished, this, &ClassifyWorkspace::moduleChanged);
    connect(m_predictionView, &PredictionView::heatMapWanted, this, &ClassifyWorkspace::computeClassHeatMap);
    connect(m_predictions, &QAbstractItemModel::modelReset, this, [this] {
        for (QAction *action : std::as_const(m_needsResult))
            action->setEnabled(m_predictions->rowCount() > 0);
    });
    for (QAction *action : std::as_const(m_needsResult))
        action->setEnabled(false);
    moduleChanged();
}

ClassifyWorkspace::~ClassifyWorkspace() = default;

void ClassifyWorkspace::activate()
{
    if (const CatalogEntry *entry = currentClassifier())
        loadModuleEvaluation(entry->path);
}

QIcon ClassifyWorkspace::icon() const
{
    return dw::icon(QStringLiteral("classify"));
}

QList<QToolBar *> ClassifyWorkspace::toolBars() const
{
    return {m_toolBar};
}

TaskPlugin *ClassifyWorkspace::plugin() const
{
    return PluginManager::instance().plugin(kTask);
}

const CatalogEntry *ClassifyWorkspace::currentClassifier() const
{
    const CatalogEntry *entry = context().catalog().find(context().currentModule());
    if (!entry || entry->manifest.task != kTask || entry->manifest.isTemplate() || !entry->isValid())
        return nullptr;
    return entry;
}

void ClassifyWorkspace::fillModulePicker()
{
    const QSignalBlocker quiet(m_modulePicker);
    m_modulePicker->clear();
    for (const CatalogEntry &module : context().catalog().model()->entries())
        if (module.manifest.task == kTask && module.isValid() && !module.manifest.isTemplate())
            m_modulePicker->addItem(module.manifest.title.isEmpty() ? module.id() : module.manifest.title, module.id());
    m_modulePicker->setCurrentIndex(m_modulePicker->findData(context().currentModule()));  // -1: none
}

void ClassifyWorkspace::moduleChanged()
{
    fillModulePicker();
    const CatalogEntry *entry = currentClassifier();
    for (QAction *action : std::as_const(m_needsModule))
        action->setEnabled(entry != nullptr);
    // Predictions of another module do not stay under this one's name (nor can they be exported as its).
    if (!entry || entry->id() != m_predictions->batch().moduleId)
        m_predictions->clear();
    if (!entry) {
        m_moduleLabel->setText(
            tr("Choose a trained image classifier (Module, in the toolbar, or select one in the Catalog), then "
               "drop images or folders anywhere on the window."));
        m_evaluationView->clear();
        return;
    }
    m_moduleLabel->setText(tr("Module: <b>%1</b> (%2, %3 classes)")
                               .arg(entry->manifest.title.toHtmlEscaped(), entry->id().toHtmlEscaped())
                               .arg(entry->manifest.labels.size()));
    if (isVisible())  // read when shown, not on every selection in the catalog
        loadModuleEvaluation(entry->path);
}

bool ClassifyWorkspace::isImageFile(const QString &path)
{
    static const QStringList suffixes = [] {
        QStringList list{QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp")};
        for (const QByteArray &format : QImageReader::supportedImageFormats())
            list << QString::fromLatin1(format).toLower();
        return list;
    }();
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

QString ClassifyWorkspace::dropHint() const
{
    return currentClassifier() ? tr("images or folders of images to classify them")
                               : tr("images or folders of images after selecting an image classifier in the catalog");
}

bool ClassifyWorkspace::handleDrop(const QList<QUrl> &urls)
{
    if (!currentClassifier())
        return false;
    QStringList paths;
    for (const QUrl &url : urls) {
        const QString path = url.toLocalFile();
        const QFileInfo info(path);
        // A folder is looked into by the job; a file must look like an image.
        if (!info.isDir() && !isImageFile(path))
            return false;
        paths << path;
    }
    if (paths.isEmpty())
        return false;
    context().requestWorkspace(id());
    classify(paths);
    return true;
}

QString ClassifyWorkspace::classify(const QStringList &paths)
{
    const CatalogEntry *entry = currentClassifier();
    TaskPlugin *task = plugin();
    if (!entry || !task) {
        const QString why = !entry
                                ? tr("Select a trained image classifier in the Catalog first.")
                                : tr("The image-classification plugin is not installed or failed to load; see Help ▸ "
                                     "About for the plugins found.");
        context().messages().error(tr("Cannot classify"), why);
        Q_EMIT failed(why);
        return {};
    }
    const QString camFolder = m_scratch.filePath(QStringLiteral("cam-%1").arg(++m_runs));
    QVariantMap raw{{QStringLiteral("module"), entry->path},
                    {QStringLiteral("inputs"), paths},
                    {QStringLiteral("top"), 5},
                    {QStringLiteral("cam"), camFolder}};
    Result<QVariantMap> args = context().precision().applyTo(task->predictArguments()).validate(raw);
    if (!args) {
        context().messages().error(tr("Cannot classify"), args.error().text());
        Q_EMIT failed(args.error().text());
        return {};
    }
    const QString title = entry->manifest.title;
    const QString moduleId = entry->id();
    JobSpec spec;
    spec.title = paths.size() == 1 ? tr("Classify %1").arg(QFileInfo(paths.first()).fileName())
                                   : tr("Classify %n inputs", nullptr, int(paths.size()));
    spec.kind = QStringLiteral("predict");
    spec.device = context().device();
    spec.queue = context().usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [task, args = args.value(), title, moduleId](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = task->predict(args, job);
        if (!result)
            return result.error();
        const auto *classification = std::get_if<ClassificationResult>(&*result);
        if (!classification)
            return failure(QObject::tr("the plugin answered with a %1 result instead of a classification")
                               .arg(taskResultKind(*result)));
        PredictionBatch batch;
        batch.result = *classification;
        batch.moduleTitle = title;
        batch.moduleId = moduleId;
        for (const ClassificationResult::Item &item : batch.result.items) {
            if (job.isCancelled())
                return failure(QObject::tr("cancelled"));
            batch.thumbnails << PredictionBatch::readThumbnail(item.input);
        }
        return QVariant::fromValue(batch);
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    follow(jobId);
    whenJobFinished(context().jobs(), jobId, this, [this](const JobInfo &job) {
        if (job.state == JobState::Done && job.result.canConvert<PredictionBatch>()) {
            PredictionBatch batch = job.result.value<PredictionBatch>();
            const int count = int(batch.result.items.size());
            ++m_batches;
            m_predictions->setBatch(std::move(batch));
            m_tabs->setCurrentWidget(m_predictionView);
            context().showStatus(tr("Classified %n image(s)", nullptr, count));
            Q_EMIT predictionsReady(count);
        } else if (job.state != JobState::Cancelled) {
            context().messages().error(tr("Classification failed"), jobFailure(job));
            Q_EMIT failed(jobFailure(job));
        }
    });
    return jobId;
}

void ClassifyWorkspace::computeClassHeatMap(int row, const QString &label)
{
    const QString moduleId = m_predictions->batch().moduleId;
    const CatalogEntry *entry = context().catalog().find(moduleId);
    TaskPlugin *task = plugin();
    const QString image = m_predictions->index(row, 0).data(PredictionModel::PathRole).toString();
    if (!entry || !task) {
        m_predictionView->classHeatMapFailed(
            row, label, tr("the module %1 that made these predictions is no longer in the catalog").arg(moduleId));
        return;
    }
    const QString camFolder = m_scratch.filePath(QStringLiteral("cam-%1").arg(++m_runs));
    Result<QVariantMap> args = context()
                                   .precision()
                                   .applyTo(task->predictArguments())
                                   .validate({{QStringLiteral("module"), entry->path},
                                              {QStringLiteral("inputs"), QStringList{image}},
                                              {QStringLiteral("top"), 1},
                                              {QStringLiteral("cam"), camFolder},
                                              {QStringLiteral("cam-class"), label}});
    if (!args) {
        m_predictionView->classHeatMapFailed(row, label, args.error().text());
        return;
    }
    JobSpec spec;
    spec.title = tr("Grad-CAM of %1 for %2").arg(QFileInfo(image).fileName(), label);
    spec.kind = QStringLiteral("predict");
    spec.device = context().device();
    spec.queue = context().usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [task, args = args.value()](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = task->predict(args, job);
        if (!result)
            return result.error();
        const auto *classification = std::get_if<ClassificationResult>(&*result);
        if (!classification || classification->items.isEmpty() || classification->items.first().heatMapPath.isEmpty())
            return failure(QObject::tr("the plugin wrote no heat map"));
        return QVariant(classification->items.first().heatMapPath);
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    QPointer<PredictionView> view(m_predictionView);
    const int batch = m_batches;
    whenJobFinished(context().jobs(), jobId, this, [this, view, row, label, batch](const JobInfo &job) {
        if (!view || batch != m_batches)
            return;  // the predictions it was for have been replaced
        if (job.state == JobState::Done)
            view->setClassHeatMap(row, label, job.result.toString());
        else
            view->classHeatMapFailed(row, label, job.state == JobState::Cancelled ? tr("cancelled") : jobFailure(job));
    });
}

QString ClassifyWorkspace::evaluate(const QString &dataPath)
{
    const CatalogEntry *entry = currentClassifier();
    TaskPlugin *task = plugin();
    if (!entry || !task || task->evaluateArguments().isEmpty()) {
        context().messages().error(tr("Cannot evaluate"),
                                   tr("Select a trained image classifier in the Catalog first."));
        return {};
    }
    const QString predictions = m_scratch.filePath(QStringLiteral("evaluation-%1.csv").arg(++m_runs));
    Result<QVariantMap> args = context()
                                   .precision()
                                   .applyTo(task->evaluateArguments())
                                   .validate({{QStringLiteral("module"), entry->path},
                                              {QStringLiteral("data"), dataPath},
                                              {QStringLiteral("predictions"), predictions}});
    if (!args) {
        context().messages().error(tr("Cannot evaluate"), args.error().text());
        return {};
    }
    JobSpec spec;
    const QString evaluated = QDir::toNativeSeparators(QFileInfo(dataPath).absoluteFilePath());
    spec.title = tr("Evaluate %1 on %2").arg(entry->id(), QFileInfo(dataPath).fileName());
    spec.kind = QStringLiteral("evaluate");
    spec.device = context().device();
    spec.queue = context().usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [task, args = args.value(), predictions, dataPath, evaluated](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = task->evaluate(args, job);
        if (!result)
            return result.error();
        EvaluationData data;
        data.report = taskResultToJson(*result);
        data.source = evaluated;
        Result<QList<MisclassifiedImage>> wrong =
            EvaluationData::readMisclassified(predictions, &data.misclassifiedTotal, dataPath);
        if (wrong)
            data.misclassified = std::move(wrong).value();
        else
            job.log(wrong.error().text());
        return QVariant::fromValue(data);
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    follow(jobId);
    whenJobFinished(context().jobs(), jobId, this, [this](const JobInfo &job) {
        if (job.state == JobState::Done && job.result.canConvert<EvaluationData>()) {
            m_evaluationView->setData(job.result.value<EvaluationData>());
            m_tabs->setCurrentWidget(m_evaluationView);
            Q_EMIT evaluationShown();
        } else if (job.state != JobState::Cancelled) {
            context().messages().error(tr("Evaluation failed"), jobFailure(job));
            Q_EMIT failed(jobFailure(job));
        }
    });
    return jobId;
}

void ClassifyWorkspace::loadModuleEvaluation(const QString &moduleDirectory)
{
    // The evaluation written at training time (evaluation.json, predictions.csv), read by a job.
    JobSpec spec;
    spec.title = tr("Read the evaluation of %1").arg(QFileInfo(moduleDirectory).fileName());
    spec.kind = QStringLiteral("read");
    spec.function = [moduleDirectory](JobContext &) -> Result<QVariant> {
        Result<EvaluationData> data = EvaluationData::loadFromModule(moduleDirectory);
        if (!data)
            return data.error();
        return QVariant::fromValue(std::move(data).value());
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    whenJobFinished(context().jobs(), jobId, this, [this, moduleDirectory](const JobInfo &job) {
        const CatalogEntry *entry = currentClassifier();
        if (!entry || entry->path != moduleDirectory)
            return;  // another module was selected meanwhile
        if (job.state == JobState::Done && job.result.canConvert<EvaluationData>()) {
            m_evaluationView->setData(job.result.value<EvaluationData>());
            Q_EMIT evaluationShown();
        } else {
            m_evaluationView->clear(tr("%1 Use Evaluate… to run one.").arg(jobFailure(job)));
        }
    });
}

void ClassifyWorkspace::follow(const QString &jobId)
{
    m_followed = jobId;
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    updateProgress(jobId);
}

void ClassifyWorkspace::updateProgress(const QString &jobId)
{
    if (jobId != m_followed || jobId.isEmpty())
        return;
    const JobInfo job = context().jobs().job(jobId);
    if (isFinished(job.state)) {
        m_followed.clear();
        m_progress->hide();
        m_cancel->hide();
        return;
    }
    m_progress->setValue(int(job.progress * 1000.0));
    QString text = job.message.isEmpty() ? job.title : job.message;
    m_progress->setFormat(text.replace(QLatin1Char('%'), QStringLiteral("%%")));  // a literal '%' in the format
}

void ClassifyWorkspace::openImages()
{
    auto *dialog = new QFileDialog(this, tr("Classify Images"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilter(tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp);;All files (*)"));
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &files) { classify(files); });
    dialog->open();
}

void ClassifyWorkspace::openFolder()
{
    auto *dialog = new QFileDialog(this, tr("Classify a Folder of Images"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &folder) { classify({folder}); });
    dialog->open();
}

void ClassifyWorkspace::chooseEvaluationData()
{
    auto *dialog = new QFileDialog(this, tr("Evaluate on Labelled Images"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &folder) { evaluate(folder); });
    dialog->open();
}

void ClassifyWorkspace::exportTo(const QString &format)
{
    const QString text = format == QLatin1String("csv") ? m_predictions->toCsv() : m_predictions->toJson();
    auto *dialog = new QFileDialog(this, tr("Export Predictions"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(format);
    dialog->setNameFilter(format == QLatin1String("csv") ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, text](const QString &file) {
        JobSpec spec;
        spec.title = tr("Export %1").arg(QFileInfo(file).fileName());
        spec.kind = QStringLiteral("export");
        spec.function = [file, text](JobContext &) -> Result<QVariant> {
            if (Result<void> written = writeFileAtomically(file, text.toUtf8(), QObject::tr("the predictions"));
                !written)
                return written.error();
            return QVariant(file);
        };
        const QString jobId = context().jobs().submit(std::move(spec));
        whenJobFinished(context().jobs(), jobId, this, [this](const JobInfo &job) {
            if (job.state == JobState::Done)
                context().showStatus(tr("Predictions written to %1").arg(job.result.toString()));
            else if (job.state != JobState::Cancelled)
                context().messages().error(tr("Export failed"), jobFailure(job));
        });
    });
    dialog->open();
}

void ClassifyWorkspace::copy()
{
    QApplication::clipboard()->setText(m_predictions->toCsv());
    context().showStatus(tr("Copied %n prediction(s)", nullptr, m_predictions->rowCount()));
}

}  // namespace dw
