#include "ui/imageclass/prediction_view.h"

#include "ui/imageclass/heat_scale_bar.h"
#include "ui/imageclass/prediction_model.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPointer>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QThreadPool>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace dw {

namespace {

constexpr int kPreviewSide = 720;

QImage readPreview(const QString &path)
{
    if (path.isEmpty())
        return {};
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kPreviewSide || size.height() > kPreviewSide))
        reader.setScaledSize(size.scaled(kPreviewSide, kPreviewSide, Qt::KeepAspectRatio));
    return reader.read().convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

QString mapKey(int row, const QString &label)
{
    return QString::number(row) + QLatin1Char('\n') + label;
}

}  // namespace

PredictionView::PredictionView(PredictionModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);

    m_list = new QListView(splitter);
    m_list->setObjectName(QStringLiteral("predictionList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_list->setIconSize(QSize(PredictionBatch::kThumbnailSide, PredictionBatch::kThumbnailSide));
    m_list->setGridSize(QSize(PredictionBatch::kThumbnailSide + 36, PredictionBatch::kThumbnailSide + 48));
    m_list->setWordWrap(true);
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setMinimumWidth(280);

    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    m_image = new QLabel(detail);
    m_image->setObjectName(QStringLiteral("predictionImage"));
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setMinimumSize(240, 200);
    // Ignored: the label never asks for its pixmap's size, so the layout does not grow with it.
    m_image->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_image->setWordWrap(true);
    m_image->setText(emptyHint());
    m_image->installEventFilter(this);
    auto *pictureRow = new QHBoxLayout;
    pictureRow->addWidget(m_image, 1);
    m_scale = new HeatScaleBar(detail);
    m_scale->hide();  // until a heat map is shown
    pictureRow->addWidget(m_scale);
    detailLayout->addLayout(pictureRow, 3);

    auto *sliderRow = new QHBoxLayout;
    auto *sliderLabel = new QLabel(tr("Grad-CAM opacity"), detail);
    sliderLabel->setToolTip(tr("How strongly the heat map of the chosen class is laid over the image: where the "
                               "network looked for that class."));
    sliderRow->addWidget(sliderLabel);
    m_opacity = new QSlider(Qt::Horizontal, detail);
    m_opacity->setObjectName(QStringLiteral("camOpacity"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(50);
    sliderLabel->setBuddy(m_opacity);
    sliderRow->addWidget(m_opacity, 1);
    m_opacityValue = new QLabel(detail);
    m_opacityValue->setObjectName(QStringLiteral("camOpacityValue"));
    // Wide enough for "100 %", so that the slider does not move while it is dragged.
    m_opacityValue->setMinimumWidth(m_opacityValue->fontMetrics().horizontalAdvance(QStringLiteral("100 %")) + 4);
    m_opacityValue->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_opacityValue->setText(QStringLiteral("%1 %").arg(m_opacity->value()));
    sliderRow->addWidget(m_opacityValue);
    sliderRow->addSpacing(12);
    auto *classLabel = new QLabel(tr("Heat map of"), detail);
    sliderRow->addWidget(classLabel);
    m_class = new QComboBox(detail);
    m_class->setObjectName(QStringLiteral("camClass"));
    m_class->setToolTip(tr("The class the Grad-CAM heat map is computed for: where the network found evidence for "
                           "it. The top class is ready at once; another is computed when chosen."));
    m_class->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    classLabel->setBuddy(m_class);
    sliderRow->addWidget(m_class);
    detailLayout->addLayout(sliderRow);
    m_heatStatus = new QLabel(detail);
    m_heatStatus->setObjectName(QStringLiteral("camStatus"));
    m_heatStatus->setWordWrap(true);
    m_heatStatus->hide();
    detailLayout->addWidget(m_heatStatus);

    m_chart = new QCustomPlot(detail);
    m_chart->setObjectName(QStringLiteral("topKChart"));
    m_chart->setMinimumHeight(170);
    m_chart->xAxis->setRange(0, 100);
    m_chart->xAxis->setLabel(tr("probability (%)"));
    m_chart->yAxis->setRangeReversed(true);  // best on top
    detailLayout->addWidget(m_chart, 2);

    m_path = new QLabel(detail);
    m_path->setObjectName(QStringLiteral("predictionPath"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setWordWrap(true);
    detailLayout->addWidget(m_path);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    connect(m_opacity, &QSlider::valueChanged, this, &PredictionView::updatePicture);
    connect(m_class, &QComboBox::currentIndexChanged, this, &PredictionView::classChosen);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showRow(current.isValid() ? current.row() : -1); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_classMaps.clear();
        if (m_model->rowCount() > 0)
            setCurrentRow(0);
        else
            showRow(-1);
    });
}

QString PredictionView::emptyHint()
{
    return tr("No predictions yet. Drop images or folders of images anywhere on the window, or use Open "
              "Images…, to classify them with the module selected in the Catalog; the top classes appear "
              "beside each image.");
}

int PredictionView::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void PredictionView::setCurrentRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
}

void PredictionView::showRow(int row)
{
    updateChart(row);
    fillClassPicker(row);
    m_heatStatus->hide();
    if (row < 0) {
        m_base = {};
        m_heat = {};
        ++m_loading;
        m_path->clear();
        m_image->setPixmap({});
        m_image->setText(emptyHint());  // an empty page says what to do
        updatePicture();
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    const QString heat = index.data(PredictionModel::HeatMapRole).toString();
    m_path->setText(QDir::toNativeSeparators(index.data(PredictionModel::PathRole).toString()));
    m_opacity->setEnabled(!heat.isEmpty());
    m_class->setEnabled(!heat.isEmpty());
    load(row, heat);
}

void PredictionView::load(int row, const QString &heatMapPath)
{
    m_base = {};
    m_heat = {};
    const int generation = ++m_loading;
    const QString path = m_model->index(row, 0).data(PredictionModel::PathRole).toString();
    m_image->setText(tr("Loading…"));
    // Decoding happens on a pool thread; the result comes back only if still wanted.
    QPointer<PredictionView> self(this);
    QThreadPool::globalInstance()->start([self, path, heat = heatMapPath, generation, row] {
        QImage base = readPreview(path);
        QImage overlay = readPreview(heat);
        QMetaObject::invokeMethod(
            qApp,
            [self, base = std::move(base), overlay = std::move(overlay), generation, row]() mutable {
                if (!self || self->m_loading != generation)
                    return;
                self->m_base = std::move(base);
                self->m_heat = std::move(overlay);
                self->updatePicture();
                Q_EMIT self->imageShown(row);
            },
            Qt::QueuedConnection);
    });
}

void PredictionView::fillClassPicker(int row)
{
    const QSignalBlocker blocker(m_class);
    m_class->clear();
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, 0);
    const QStringList labels = index.data(PredictionModel::LabelsRole).toStringList();
    const QVariantList probabilities = index.data(PredictionModel::ProbabilitiesRole).toList();
    for (int i = 0; i < labels.size(); ++i)
        m_class->addItem(
            i == 0
                ? tr("%1 (top class, %2 %)").arg(labels.at(i)).arg(probabilities.value(i).toDouble() * 100.0, 0, 'f', 1)
                : tr("%1 (%2 %)").arg(labels.at(i)).arg(probabilities.value(i).toDouble() * 100.0, 0, 'f', 1),
            labels.at(i));
}

QString PredictionView::heatMapClass() const
{
    return m_class->currentData().toString();
}

void PredictionView::classChosen()
{
    const int row = currentRow();
    if (row < 0 || m_class->currentIndex() < 0)
        return;
    m_heatStatus->hide();
    if (m_class->currentIndex() == 0) {
        load(row, m_model->index(row, 0).data(PredictionModel::HeatMapRole).toString());
        return;
    }
    const QString label = heatMapClass();
    const QString known = m_classMaps.value(mapKey(row, label));
    if (!known.isEmpty()) {
        load(row, known);
        return;
    }
    // The picture stays without an overlay until the map has been computed.
    m_heat = {};
    updatePicture();
    m_heatStatus->setText(tr("Computing the heat map of %1…").arg(label));
    m_heatStatus->show();
    Q_EMIT heatMapWanted(row, label);
}

void PredictionView::setClassHeatMap(int row, const QString &label, const QString &overlayPath)
{
    m_classMaps.insert(mapKey(row, label), overlayPath);
    if (row == currentRow() && label == heatMapClass()) {
        m_heatStatus->hide();
        load(row, overlayPath);
    }
}

void PredictionView::classHeatMapFailed(int row, const QString &label, const QString &why)
{
    if (row != currentRow() || label != heatMapClass())
        return;
    m_heatStatus->setText(tr("No heat map of %1: %2").arg(label, why));
    m_heatStatus->show();
}

void PredictionView::updateChart(int row)
{
    m_chart->clearPlottables();
    m_chartLabels.clear();
    m_chartValues.clear();
    if (row >= 0) {
        const QModelIndex index = m_model->index(row, 0);
        m_chartLabels = index.data(PredictionModel::LabelsRole).toStringList();
        for (const QVariant &p : index.data(PredictionModel::ProbabilitiesRole).toList())
            m_chartValues << p.toDouble() * 100.0;
    }
    auto *bars = new QCPBars(m_chart->yAxis, m_chart->xAxis);  // horizontal: keys on the y axis
    bars->setWidth(0.6);
    bars->setPen(Qt::NoPen);
    bars->setBrush(palette().color(QPalette::Highlight));
    QVector<double> keys;
    QVector<double> values;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < m_chartLabels.size(); ++i) {
        keys << i;
        values << m_chartValues.value(i);
        ticker->addTick(i, QStringLiteral("%1  %2 %").arg(m_chartLabels.at(i)).arg(m_chartValues.value(i), 0, 'f', 1));
    }
    bars->setData(keys, values, true);
    m_chart->yAxis->setTicker(ticker);
    m_chart->yAxis->setRange(-0.5, std::max<qsizetype>(m_chartLabels.size(), 1) - 0.5);
    m_chart->replot(QCustomPlot::rpQueuedReplot);
}

void PredictionView::updatePicture()
{
    m_opacityValue->setText(QStringLiteral("%1 %").arg(m_opacity->value()));
    m_scale->setVisible(!m_base.isNull() && !m_heat.isNull() && m_opacity->value() > 0);
    if (m_base.isNull()) {
        if (m_loading > 0 && currentRow() >= 0)
            m_image->setText(tr("This image cannot be shown."));
        return;
    }
    QImage picture = m_base;
    if (!m_heat.isNull() && m_opacity->value() > 0) {
        // The heat map covers the centre crop the network saw: the image is scaled to cover
        // it and centred, as the evaluation crop is.
        picture = QImage(m_heat.size(), QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&picture);
        const QImage covered = m_base.scaled(m_heat.size(), Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
        painter.drawImage(QPoint((m_heat.width() - covered.width()) / 2, (m_heat.height() - covered.height()) / 2),
                          covered);
        painter.setOpacity(m_opacity->value() / 100.0);
        painter.drawImage(QPoint(0, 0), m_heat);
    }
    const QSize room = m_image->contentsRect().size().boundedTo(picture.size() * 4);
    m_image->setPixmap(QPixmap::fromImage(picture.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

bool PredictionView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_image && event->type() == QEvent::Resize)
        updatePicture();
    return QWidget::eventFilter(watched, event);
}

}  // namespace dw
