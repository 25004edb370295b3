#pragma once
// An evaluation of a classifier: top-1/top-5 and averages, the confusion matrix as a heat
// map (counts or row-normalised; truth down the side, prediction along the bottom, class
// names on both axes), a sortable per-class precision/recall/F1 table, and a gallery of the
// misclassified images (click one: the image, its truth, prediction and probabilities).
#include "ui/imageclass/evaluation_data.h"

#include <QWidget>

#include <utility>
#include <vector>

class QCheckBox;
class QCPColorMap;
class QCustomPlot;
class QLabel;
class QListWidget;
class QMouseEvent;
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
    // The gallery shows only the images of one cell of the matrix (a click on the cell does
    // this; a second click, or showAllMisclassified(), shows them all again).
    void showCell(int truth, int predicted);
    void showAllMisclassified();
    int visibleInGallery() const;

private:
    QString galleryHint() const;  // what the detail says when no image is chosen
    void updateMatrix();
    void fillTable();
    void showMisclassified(int row);
    void cellClicked(QMouseEvent *event);

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
    std::pair<int, int> m_cell{-1, -1};  // the cell the gallery is filtered on; -1: none
};

}  // namespace dw
