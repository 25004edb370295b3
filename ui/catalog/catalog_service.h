#pragma once
// The catalog as the GUI sees it: a CatalogModel kept up to date by scan jobs, and the
// operations that change the catalog (import, export, delete), each run as a job so the
// window never waits on the disk. Results and failures come back as signals.
#include "core/catalog/catalog_entry.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>

class QFileSystemWatcher;
class QTimer;

namespace dw {

class CatalogModel;
class JobManager;
struct JobInfo;
struct JobSpec;
struct CatalogScanResult;

class CatalogService : public QObject {
    Q_OBJECT
public:
    CatalogService(QString userDirectory, bool includeBuiltIns, JobManager &jobs, QObject *parent = nullptr);
    ~CatalogService() override;

    CatalogModel *model() const { return m_model; }
    const QString &userDirectory() const { return m_userDirectory; }
    const QStringList &tasks() const { return m_tasks; }        // of the last scan
    const QStringList &keywords() const { return m_keywords; }  // of the last scan
    const CatalogEntry *find(const QString &id) const;
    bool isScanning() const { return !m_scanJob.isEmpty(); }
    bool hasScanned() const { return m_scanned; }

    // Each returns the id of the job it started (empty when refused with a message).
    QString rescan();
    QString importArchive(const QString &archiveFile);
    // A model made elsewhere (a TorchScript archive) through the task plugin's importModel();
    // args validated against its importArguments(), without "output" (the catalog's folder of
    // args["name"] is used).
    QString importModel(const QString &task, const QVariantMap &args);
    // Pretrained weights fetched by hand (a torchvision .pth) into the weights cache, where
    // trainings that start from ImageNet find them.
    QString importWeights(const QString &file);
    QString exportModule(const QString &id, const QString &archiveFile);
    // A trained module as an ONNX file (for QGIS Deepness, OpenCV, ONNX Runtime) through its
    // task plugin's exportModel(); foldNormalization: the graph takes the raw values and
    // normalises them itself. Templates and broken modules are refused with a message.
    QString exportOnnx(const QString &id, const QString &onnxFile, bool foldNormalization);
    QString deleteModule(const QString &id);

    // Whether a file's name says it is a module archive (.dwm, .tar.gz, .tgz).
    static bool looksLikeArchive(const QString &file);
    static QString archiveFilter();  // for file dialogs

Q_SIGNALS:
    void scanStarted();
    void scanFinished();
    void moduleImported(const QString &id);
    void weightsImported(const QString &file, const QString &cachedPath);
    void moduleExported(const QString &id, const QString &archiveFile);
    // summary: what the plugin reports (path, format, opset, nodes, bytes).
    void moduleExportedAsOnnx(const QString &id, const QString &onnxFile, const QJsonObject &summary);
    void moduleDeleted(const QString &id);
    // title: what was attempted; message: what went wrong and what to do.
    void operationFailed(const QString &title, const QString &message);

private:
    void applyScan(const CatalogScanResult &result);
    // Runs the job; done() on the GUI thread when it succeeds, operationFailed(failureTitle, why)
    // when it fails (a cancelled job is neither). Returns the job id.
    QString submit(JobSpec spec, const QString &failureTitle, std::function<void(const JobInfo &)> done);
    void afterNextScan(std::function<void()> action);

    QString m_userDirectory;
    bool m_includeBuiltIns = true;
    JobManager &m_jobs;
    CatalogModel *m_model = nullptr;
    QStringList m_tasks;
    QStringList m_keywords;
    QString m_scanJob;
    bool m_rescanPending = false;
    bool m_scanned = false;
    QList<std::function<void()>> m_afterScan;
    // Modules added or removed behind the window's back (deepwb, a file manager) show up.
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_watchDelay = nullptr;
};

}  // namespace dw
