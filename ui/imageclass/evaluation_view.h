#pragma once
// An evaluation of a classifier: top-1/top-5 and averages, the confusion matrix as a heat
// map (counts or row-normalised; truth down the side, prediction along the bottom, class
// names on both axes), a sortable per-class precision/recall/F1 table, and a gallery of the
// misclassified images (click one: the image, its truth, prediction and probabilities).
#include "ui/imageclass/evaluation_data.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QCPColorMap;
class QCustomPlot;
class QLabel;
class QListWidget;
class QTableWidget;

namespace dw {

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationView(QWidget *parent = nullptr);

    void setData(const EvaluationData &data);
    void clear(const QString &note = {});
    bool isNormalised() const;
    void setNormalised(bool normalised);

    // What is shown, for tests and screenshots.
    QStringList classes() const { return m_classes; }
    double cellValue(int truth, int predicted) const;  // as coloured: a count or a row share
    QString cellText(int truth, int predicted) const;  // the number written in the cell
    QString summaryText() const;
    QTableWidget *table() const { return m_table; }
    QListWidget *gallery() const { return m_gallery; }
    QCustomPlot *matrixPlot() const { return m_plot; }
    QLabel *detailLabel() const { return m_detail; }

private:
    void updateMatrix();
    void fillTable();
    void showMisclassified(int row);

    EvaluationData m_data;
    QStringList m_classes;
    std::vector<std::vector<double>> m_counts;
    QLabel *m_summary = nullptr;
    QCheckBox *m_normalise = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPColorMap *m_map = nullptr;
    QTableWidget *m_table = nullptr;
    QListWidget *m_gallery = nullptr;
    QLabel *m_detail = nullptr;
    QLabel *m_detailImage = nullptr;
};

}  // namespace dw
