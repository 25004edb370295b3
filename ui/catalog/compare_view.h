#pragma once
// Two to four modules side by side: their training curves overlaid, their metrics in one
// table (manifest metrics, history figures, per-class F1) with the best of each row in bold,
// and the hyper-parameters and training data that differ between them. The module folders
// are read on a pool thread; loaded() says when the curves and metrics are in.
#include "core/catalog/catalog_entry.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace dw {

class CompareCurves;
struct ModuleRunData;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget *parent = nullptr);

    void setModules(const QList<CatalogEntry> &entries);
    const QList<CatalogEntry> &modules() const { return m_entries; }
    bool isLoading() const { return m_loading; }

    CompareCurves *curves() const { return m_curves; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *differencesTable() const { return m_differences; }
    // The rows of the differences table as "<section>.<key>" ("hyper-parameters.lr").
    QStringList differingKeys() const;

Q_SIGNALS:
    void loaded();

private:
    void showDifferences();
    void showRuns(const QList<ModuleRunData> &runs);
    QStringList titles() const;

    QList<CatalogEntry> m_entries;
    CompareCurves *m_curves = nullptr;
    QTableWidget *m_metrics = nullptr;
    QTableWidget *m_differences = nullptr;
    QLabel *m_sameNote = nullptr;
    int m_generation = 0;
    bool m_loading = false;
};

}  // namespace dw
