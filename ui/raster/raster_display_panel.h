#pragma once
// The left side of the Raster workspace, top part: what the open raster is (size in pixels,
// CRS, pixel size in the CRS's unit, a table of its bands named as bandLabel names them, with
// type, nodata and colour), which three bands make the composite (R, G, B; one band: grey) and the
// percentile stretch. Changes are announced by compositeRequested; the workspace computes
// the stretch off the GUI thread.
#include <QList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace dw {

struct LoadedRaster;

class RasterDisplayPanel : public QWidget {
    Q_OBJECT
public:
    explicit RasterDisplayPanel(QWidget *parent = nullptr);

    // Fills the info and the band choices, selecting the raster's composite bands.
    void setRaster(const LoadedRaster &raster);
    void clear();

    QList<int> bands() const;  // three, or one when the raster has a single band
    double lowPercent() const;
    double highPercent() const;
    void setBands(const QList<int> &bands);
    void setPercentiles(double low, double high);

    QLabel *infoLabel() const { return m_info; }
    QTableWidget *bandTable() const { return m_table; }
    QComboBox *bandBox(int channel) const { return m_boxes.value(channel); }

Q_SIGNALS:
    void compositeRequested();

private:
    QLabel *m_info = nullptr;
    QTableWidget *m_table = nullptr;
    QList<QComboBox *> m_boxes;  // R, G, B
    QDoubleSpinBox *m_low = nullptr;
    QDoubleSpinBox *m_high = nullptr;
    bool m_single = false;
};

}  // namespace dw
