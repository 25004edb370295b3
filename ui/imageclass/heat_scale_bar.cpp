#include "ui/imageclass/heat_scale_bar.h"

#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

constexpr int kBarWidth = 16;

double channel(double value)
{
    return std::clamp(value, 0.0, 1.0);
}

}  // namespace

HeatScaleBar::HeatScaleBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("camScale"));
    setToolTip(tr("Colour scale of the heat map: red where the class's evidence is strongest in this image, blue "
                  "where there is none. The map is scaled per image, so colours compare places within one image, "
                  "not images."));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

QColor HeatScaleBar::colourAt(double t)
{
    const double x = std::clamp(t, 0.0, 1.0);
    // MATLAB's and OpenCV's jet: blue, cyan, yellow, red, each channel a trapezoid.
    return QColor::fromRgbF(static_cast<float>(channel(1.5 - std::abs(4.0 * x - 3.0))),
                            static_cast<float>(channel(1.5 - std::abs(4.0 * x - 2.0))),
                            static_cast<float>(channel(1.5 - std::abs(4.0 * x - 1.0))));
}

QString HeatScaleBar::highText()
{
    return tr("high");
}

QString HeatScaleBar::lowText()
{
    return tr("low");
}

QSize HeatScaleBar::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    const int text = std::max(metrics.horizontalAdvance(highText()), metrics.horizontalAdvance(lowText()));
    return {std::max(kBarWidth, text) + 8, 160};
}

QSize HeatScaleBar::minimumSizeHint() const
{
    return {sizeHint().width(), 80};
}

QRect HeatScaleBar::barRect() const
{
    const int line = fontMetrics().height();
    return QRect((width() - kBarWidth) / 2, line + 2, kBarWidth, std::max(1, height() - 2 * (line + 2)));
}

void HeatScaleBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect bar = barRect();
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, colourAt(i / 8.0));
    painter.fillRect(bar, gradient);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), bar.top() - 2), Qt::AlignCenter, highText());
    painter.drawText(QRect(0, bar.bottom() + 2, width(), height() - bar.bottom() - 2), Qt::AlignCenter, lowText());
}

}  // namespace dw
