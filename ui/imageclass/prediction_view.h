#pragma once
// The predictions of a run: thumbnails with the top label on the left; for the selected
// image the picture with its Grad-CAM overlay (an opacity slider blends it in, its value in %)
// beside the map's colour scale, a choice of the class the map is for (the image's top-k
// classes; maps of the others are asked for through heatMapWanted), the top-k probabilities
// as a horizontal bar chart and the file's path.
#include <QHash>
#include <QImage>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QListView;
class QSlider;

namespace dw {

class HeatScaleBar;
class PredictionModel;

class PredictionView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionView(PredictionModel *model, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    QCustomPlot *chart() const { return m_chart; }
    QSlider *opacitySlider() const { return m_opacity; }
    QLabel *opacityValue() const { return m_opacityValue; }
    QComboBox *classPicker() const { return m_class; }
    HeatScaleBar *colourScale() const { return m_scale; }
    QLabel *heatMapStatus() const { return m_heatStatus; }
    QLabel *imageLabel() const { return m_image; }
    static QString emptyHint();  // what the page says while it has no predictions
    int currentRow() const;
    void setCurrentRow(int row);
    // The bars now shown, best first (what the chart draws; for tests).
    QStringList chartLabels() const { return m_chartLabels; }
    QList<double> chartValues() const { return m_chartValues; }
    bool imageLoaded() const { return !m_base.isNull(); }
    bool heatMapLoaded() const { return !m_heat.isNull(); }
    // The class whose heat map is shown (or being computed) for the current image.
    QString heatMapClass() const;

    // The answer to heatMapWanted: the overlay of row's image for class label, or why none.
    void setClassHeatMap(int row, const QString &label, const QString &overlayPath);
    void classHeatMapFailed(int row, const QString &label, const QString &why);

Q_SIGNALS:
    void imageShown(int row);  // the picture (and heat map) of row have been loaded
    // The user chose a class for whose map no overlay has been written yet.
    void heatMapWanted(int row, const QString &label);

protected:
    // The picture follows the size of its label (which the splitter resizes after this).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showRow(int row);
    void updateChart(int row);
    void updatePicture();
    void fillClassPicker(int row);
    void classChosen();
    void load(int row, const QString &heatMapPath);

    PredictionModel *m_model = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_image = nullptr;
    QLabel *m_path = nullptr;
    QSlider *m_opacity = nullptr;
    QLabel *m_opacityValue = nullptr;
    QComboBox *m_class = nullptr;
    QLabel *m_heatStatus = nullptr;
    HeatScaleBar *m_scale = nullptr;
    // Overlays of classes other than the top one, by row and label, for the present batch.
    QHash<QString, QString> m_classMaps;
    QCustomPlot *m_chart = nullptr;
    QImage m_base;
    QImage m_heat;
    int m_loading = 0;  // generation of the latest load, so a late one is dropped
    QStringList m_chartLabels;
    QList<double> m_chartValues;
};

}  // namespace dw
