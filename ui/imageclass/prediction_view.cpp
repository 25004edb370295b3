#include "ui/imageclass/prediction_view.h"

#include "ui/imageclass/prediction_model.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPointer>
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
    detailLayout->addWidget(m_image, 3);

    auto *sliderRow = new QHBoxLayout;
    auto *sliderLabel = new QLabel(tr("Grad-CAM opacity"), detail);
    sliderLabel->setToolTip(tr("How strongly the heat map of the top class is laid over the image: where the network "
                               "looked to decide."));
    sliderRow->addWidget(sliderLabel);
    m_opacity = new QSlider(Qt::Horizontal, detail);
    m_opacity->setObjectName(QStringLiteral("camOpacity"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(50);
    sliderLabel->setBuddy(m_opacity);
    sliderRow->addWidget(m_opacity, 1);
    detailLayout->addLayout(sliderRow);

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
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showRow(current.isValid() ? current.row() : -1); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
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
    m_base = {};
    m_heat = {};
    const int generation = ++m_loading;
    if (row < 0) {
        m_path->clear();
        m_image->setPixmap({});
        m_image->setText(emptyHint());  // an empty page says what to do
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    const QString path = index.data(PredictionModel::PathRole).toString();
    const QString heat = index.data(PredictionModel::HeatMapRole).toString();
    m_path->setText(QDir::toNativeSeparators(path));
    m_opacity->setEnabled(!heat.isEmpty());
    m_image->setText(tr("Loading…"));
    // Decoding happens on a pool thread; the result comes back only if still wanted.
    QPointer<PredictionView> self(this);
    QThreadPool::globalInstance()->start([self, path, heat, generation, row] {
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
