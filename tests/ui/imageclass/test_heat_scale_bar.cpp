// The colour scale beside a Grad-CAM heat map: red ("high") at the top, blue ("low") at the
// bottom, the colours of OpenCV's JET map that the overlays are drawn with.
#include "ui/imageclass/heat_scale_bar.h"

#include <QImage>
#include <QTest>

using namespace dw;

class TestHeatScaleBar : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jetColours_data()
    {
        QTest::addColumn<double>("t");
        QTest::addColumn<QColor>("expected");
        // OpenCV's COLORMAP_JET at 0, 1/4, 1/2, 3/4 and 1 (rounded).
        QTest::newRow("low: dark blue") << 0.0 << QColor(0, 0, 128);
        QTest::newRow("cyan-blue") << 0.25 << QColor(0, 128, 255);
        QTest::newRow("middle: green-yellow") << 0.5 << QColor(128, 255, 128);
        QTest::newRow("orange") << 0.75 << QColor(255, 128, 0);
        QTest::newRow("high: dark red") << 1.0 << QColor(128, 0, 0);
        QTest::newRow("clamped above") << 2.0 << QColor(128, 0, 0);
    }

    void jetColours()
    {
        QFETCH(double, t);
        QFETCH(QColor, expected);
        const QColor colour = HeatScaleBar::colourAt(t);
        QVERIFY2(qAbs(colour.red() - expected.red()) <= 1 && qAbs(colour.green() - expected.green()) <= 1 &&
                     qAbs(colour.blue() - expected.blue()) <= 1,
                 qPrintable(colour.name()));
    }

    void paintsHighAtTheTop()
    {
        HeatScaleBar bar;
        bar.resize(bar.sizeHint().width(), 200);
        const QImage image = bar.grab().toImage();
        if (qEnvironmentVariableIsSet("DW_KEEP_TEST_FILES"))
            image.save(QStringLiteral("/tmp/heat_scale_bar.png"));
        const QRect rect = bar.barRect();
        QVERIFY(rect.height() > 100);
        const QColor top = image.pixelColor(rect.center().x(), rect.top() + 3);
        const QColor bottom = image.pixelColor(rect.center().x(), rect.bottom() - 3);
        QVERIFY2(top.red() > 100 && top.blue() < 40, qPrintable(top.name()));
        QVERIFY2(bottom.blue() > 100 && bottom.red() < 40, qPrintable(bottom.name()));
        const QColor middle = image.pixelColor(rect.center());
        QVERIFY2(middle.green() > 200, qPrintable(middle.name()));
        QVERIFY(bar.sizeHint().width() >= bar.fontMetrics().horizontalAdvance(HeatScaleBar::highText()));
    }
};

QTEST_MAIN(TestHeatScaleBar)
#include "test_heat_scale_bar.moc"
