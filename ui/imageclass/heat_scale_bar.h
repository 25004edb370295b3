#pragma once
// The colour scale of a Grad-CAM heat map: the JET colours of the overlay from low (blue, at
// the bottom) to high (red, at the top), so that a reader knows which colour means "the
// network looked here".
#include <QColor>
#include <QWidget>

namespace dw {

class HeatScaleBar : public QWidget {
    Q_OBJECT
public:
    explicit HeatScaleBar(QWidget *parent = nullptr);

    // The colour of the heat map's value t in [0, 1] (OpenCV's COLORMAP_JET, which the
    // overlays are drawn with).
    static QColor colourAt(double t);
    static QString highText();
    static QString lowText();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Where the gradient is drawn (for tests: its top is high, its bottom low).
    QRect barRect() const;

protected:
    void paintEvent(QPaintEvent *event) override;
};

}  // namespace dw
