#pragma once
// The predictions of a run: thumbnails with the top label on the left; for the selected
// image the picture with its Grad-CAM overlay (an opacity slider blends it in), the top-k
// probabilities as a horizontal bar chart and the file's path.
#include <QImage>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QListView;
class QSlider;

namespace dw {

class PredictionModel;

class PredictionView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionView(PredictionModel *model, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    QCustomPlot *chart() const { return m_chart; }
    QSlider *opacitySlider() const { return m_opacity; }
    QLabel *imageLabel() const { return m_image; }
    static QString emptyHint();  // what the page says while it has no predictions
    int currentRow() const;
    void setCurrentRow(int row);
    // The bars now shown, best first (what the chart draws; for tests).
    QStringList chartLabels() const { return m_chartLabels; }
    QList<double> chartValues() const { return m_chartValues; }
    bool imageLoaded() const { return !m_base.isNull(); }
    bool heatMapLoaded() const { return !m_heat.isNull(); }

Q_SIGNALS:
    void imageShown(int row);  // the picture (and heat map) of row have been loaded

protected:
    // The picture follows the size of its label (which the splitter resizes after this).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showRow(int row);
    void updateChart(int row);
    void updatePicture();

    PredictionModel *m_model = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_image = nullptr;
    QLabel *m_path = nullptr;
    QSlider *m_opacity = nullptr;
    QCustomPlot *m_chart = nullptr;
    QImage m_base;
    QImage m_heat;
    int m_loading = 0;  // generation of the latest load, so a late one is dropped
    QStringList m_chartLabels;
    QList<double> m_chartValues;
};

}  // namespace dw
