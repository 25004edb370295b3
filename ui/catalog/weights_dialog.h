#pragma once
// File ▸ Pretrained Weights: the GUI form of `deepwb weights`. torchvision's ImageNet weights
// for each architecture with their size, ImageNet top-1 and whether they are in the cache;
// Download (a job with progress and Cancel in the Jobs dock), Import a file fetched by hand,
// Remove; the cache folder, and the server they come from (a mirror or an air-gapped site's
// folder; $DEEPWB_WEIGHTS_URL wins over it). Reading the cache (hashing new files) happens off
// the GUI thread.
#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace dw {

class WorkbenchContext;

class WeightsDialog : public QDialog {
    Q_OBJECT
public:
    explicit WeightsDialog(WorkbenchContext &context, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    // Starts a download job of the selected row; its id, or empty.
    QString downloadSelected();
    void saveBaseUrl();
    void refresh();  // reads the cache again (off the GUI thread)

Q_SIGNALS:
    void refreshed();

private:
    void removeSelected();
    void importFile();
    QString selectedKey() const;

    WorkbenchContext &m_context;
    QTableWidget *m_table = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_folder = nullptr;
    QPushButton *m_download = nullptr, *m_remove = nullptr;
};

}  // namespace dw
