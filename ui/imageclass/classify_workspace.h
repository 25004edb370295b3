#pragma once
// Classify: the image classifier selected in the catalog at work. Images or folders
// dropped anywhere on the window (or opened) are classified by a job — thumbnails with the
// top label, the top-5 chart and the Grad-CAM overlay of the selected one, export to CSV or
// JSON, copy — and the Evaluate tab shows the module's evaluation or runs a new one.
// Everything goes through the task plugin's interface, as the CLI does.
#include "ui/workspace.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QComboBox;
class QToolBar;

namespace dw {

struct CatalogEntry;
class EvaluationView;
class PredictionModel;
class PredictionView;
class TaskPlugin;

class ClassifyWorkspace : public Workspace {
    Q_OBJECT
public:
    explicit ClassifyWorkspace(WorkbenchContext &context, QWidget *parent = nullptr);
    ~ClassifyWorkspace() override;

    QString id() const override { return QStringLiteral("classify"); }
    QString title() const override { return tr("Classify"); }
    QIcon icon() const override;
    QString description() const override { return tr("Classify images with the selected image classifier"); }
    QList<QToolBar *> toolBars() const override;
    bool handleDrop(const QList<QUrl> &urls) override;
    QString dropHint() const override;
    void activate() override;

    // Classifies images and folders with the current module; returns the job id, or empty
    // after a message saying why not.
    QString classify(const QStringList &paths);
    // Evaluates the current module on labelled images (any dataset layout).
    QString evaluate(const QString &dataPath);

    PredictionModel *predictions() const { return m_predictions; }
    PredictionView *predictionView() const { return m_predictionView; }
    EvaluationView *evaluationView() const { return m_evaluationView; }
    QTabWidget *tabs() const { return m_tabs; }
    QProgressBar *progressBar() const { return m_progress; }
    // The trained image classifier selected in the catalog, nullptr when none.
    const CatalogEntry *currentClassifier() const;
    static bool isImageFile(const QString &path);

Q_SIGNALS:
    void predictionsReady(int images);
    void evaluationShown();
    void failed(const QString &message);

private:
    TaskPlugin *plugin() const;
    void moduleChanged();
    void fillModulePicker();  // the trained classifiers of the catalog, the current one chosen
    void loadModuleEvaluation(const QString &moduleDirectory);
    void exportTo(const QString &format);
    void copy();
    void openImages();
    void openFolder();
    void chooseEvaluationData();
    // The Grad-CAM overlay of one predicted image for another class than its top one (a
    // prediction job on that image with cam-class), handed to the prediction view.
    void computeClassHeatMap(int row, const QString &label);
    void follow(const QString &jobId);  // the progress bar shows this job until it ends
    void updateProgress(const QString &jobId);

    QTabWidget *m_tabs = nullptr;
    QToolBar *m_toolBar = nullptr;
    QComboBox *m_modulePicker = nullptr;
    QLabel *m_moduleLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QString m_followed;
    QList<QAction *> m_needsModule;
    QList<QAction *> m_needsResult;
    PredictionModel *m_predictions = nullptr;
    PredictionView *m_predictionView = nullptr;
    EvaluationView *m_evaluationView = nullptr;
    QTemporaryDir m_scratch;  // Grad-CAM overlays and evaluation predictions of this session
    int m_runs = 0;
    int m_batches = 0;  // prediction batches shown, so that a late heat map of an older one is dropped
};

}  // namespace dw
