#include "ui/raster/raster_display_panel.h"

#include "core/io/raster_info.h"
#include "ui/raster/band_label.h"
#include "ui/raster/raster_loader.h"
#include "ui/raster/raster_units.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dw {

RasterDisplayPanel::RasterDisplayPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("rasterInfo"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_info);

    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("rasterBands"));
    m_table->setHorizontalHeaderLabels({tr("Band"), tr("Type"), tr("Nodata"), tr("Colour")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setMaximumHeight(150);
    layout->addWidget(m_table);

    auto *form = new QFormLayout;
    const QStringList channels{tr("Red"), tr("Green"), tr("Blue")};
    for (int c = 0; c < 3; ++c) {
        auto *box = new QComboBox(this);
        box->setObjectName(QStringLiteral("rasterBand%1").arg(QStringLiteral("RGB")[c]));
        connect(box, &QComboBox::currentIndexChanged, this, &RasterDisplayPanel::compositeRequested);
        m_boxes << box;
        form->addRow(channels[c], box);
    }
    auto *stretch = new QHBoxLayout;
    m_low = new QDoubleSpinBox(this);
    m_high = new QDoubleSpinBox(this);
    for (QDoubleSpinBox *spin : {m_low, m_high}) {
        spin->setRange(0.0, 100.0);
        spin->setDecimals(1);
        spin->setSingleStep(0.5);
        spin->setSuffix(QStringLiteral(" %"));
        spin->setKeyboardTracking(false);  // one stretch per finished edit, not per key
        connect(spin, &QDoubleSpinBox::valueChanged, this, &RasterDisplayPanel::compositeRequested);
        stretch->addWidget(spin);
    }
    m_low->setObjectName(QStringLiteral("rasterStretchLow"));
    m_high->setObjectName(QStringLiteral("rasterStretchHigh"));
    m_low->setValue(2.0);
    m_high->setValue(98.0);
    m_low->setToolTip(tr("Values at or below this percentile of each band show black"));
    m_high->setToolTip(tr("Values at or above this percentile of each band show at full brightness"));
    form->addRow(tr("Stretch"), stretch);
    layout->addLayout(form);
    clear();
}

void RasterDisplayPanel::clear()
{
    m_info->setText(
        tr("No raster open. Use <b>Open Raster…</b> or drop a GeoTIFF, JPEG 2000, VRT, netCDF or HDF file on "
           "the window."));
    m_table->setRowCount(0);
    for (QComboBox *box : std::as_const(m_boxes)) {
        QSignalBlocker blocker(box);
        box->clear();
        box->setEnabled(false);
    }
}

void RasterDisplayPanel::setRaster(const LoadedRaster &raster)
{
    const RasterInfo &info = raster.info;
    const QFileInfo file(info.path);
    QStringList lines{QStringLiteral("<b>%1</b>").arg((file.exists() ? file.fileName() : info.path).toHtmlEscaped())};
    const QString bandText = info.bandCount() == 1 ? tr("1 band") : tr("%1 bands").arg(info.bandCount());
    lines << tr("%1, %2, %3").arg(pixelCountText(info.width, info.height), bandText, info.driver);
    lines << (raster.crs.isEmpty() ? tr("CRS: none (positions in pixels only)")
                                   : tr("CRS: %1").arg(raster.crs.name.toHtmlEscaped()));
    lines << (info.georeferenced ? tr("Pixel size: %1").arg(pixelSizeText(info, raster.crs).toHtmlEscaped())
                                 : tr("Pixel size: not georeferenced"));
    m_info->setText(lines.join(QStringLiteral("<br>")));

    QStringList labels;
    for (const RasterBandInfo &band : info.bands) {
        BandSpectrum spectrum = raster.spectra.value(band.index - 1);
        spectrum.index = band.index;
        labels << bandLabel(spectrum);
    }
    m_table->setRowCount(info.bandCount());
    for (int row = 0; row < info.bandCount(); ++row) {
        const RasterBandInfo &band = info.bands[row];
        m_table->setItem(row, 0, new QTableWidgetItem(labels[row]));
        m_table->setItem(row, 1, new QTableWidgetItem(band.dataType));
        m_table->setItem(row, 2, new QTableWidgetItem(band.hasNodata ? QString::number(band.nodata, 'g', 8) : tr("—")));
        m_table->setItem(row, 3, new QTableWidgetItem(band.colorInterpretation));
    }
    m_table->resizeColumnsToContents();

    m_single = info.bandCount() == 1;
    for (int c = 0; c < 3; ++c) {
        QComboBox *box = m_boxes[c];
        QSignalBlocker blocker(box);
        box->clear();
        for (int row = 0; row < info.bandCount(); ++row)
            box->addItem(labels[row], info.bands[row].index);
        box->setEnabled(!m_single || c == 0);
    }
    setBands(raster.composite.bands);
}

void RasterDisplayPanel::setBands(const QList<int> &bands)
{
    for (int c = 0; c < 3; ++c) {
        QSignalBlocker blocker(m_boxes[c]);
        const int band = bands.value(bands.size() == 1 ? 0 : c, 1);
        m_boxes[c]->setCurrentIndex(std::max(0, m_boxes[c]->findData(band)));
    }
    Q_EMIT compositeRequested();
}

void RasterDisplayPanel::setPercentiles(double low, double high)
{
    QSignalBlocker a(m_low), b(m_high);
    m_low->setValue(low);
    m_high->setValue(high);
    Q_EMIT compositeRequested();
}

QList<int> RasterDisplayPanel::bands() const
{
    if (m_boxes[0]->count() == 0)
        return {};
    if (m_single)
        return {m_boxes[0]->currentData().toInt()};
    return {m_boxes[0]->currentData().toInt(), m_boxes[1]->currentData().toInt(), m_boxes[2]->currentData().toInt()};
}

double RasterDisplayPanel::lowPercent() const
{
    return m_low->value();
}
double RasterDisplayPanel::highPercent() const
{
    return m_high->value();
}

}  // namespace dw
