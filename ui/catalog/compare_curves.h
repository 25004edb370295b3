#pragma once
// The training curves of two to four modules on shared axes, one colour per module: the
// loss plot (validation solid, training dashed) and a second plot for one quantity chosen
// in a box — validation or training accuracy, or a named per-epoch metric of the histories.
#include "core/catalog/module_run_data.h"

#include <QColor>
#include <QList>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace dw {

class CompareCurves : public QWidget {
    Q_OBJECT
public:
    explicit CompareCurves(QWidget *parent = nullptr);

    // titles and runs: one per module, in the same order.
    void setRuns(const QStringList &titles, const QList<ModuleRunData> &runs);
    static QColor moduleColor(int index);

    QCustomPlot *lossPlot() const { return m_loss; }
    QCustomPlot *metricPlot() const { return m_metric; }
    QComboBox *quantityBox() const { return m_quantity; }  // item data: the quantity's key

private:
    void showQuantity();

    QCustomPlot *m_loss = nullptr;
    QCustomPlot *m_metric = nullptr;
    QComboBox *m_quantity = nullptr;
    QLabel *m_note = nullptr;
    QStringList m_titles;
    QList<ModuleRunData> m_runs;
};

}  // namespace dw
