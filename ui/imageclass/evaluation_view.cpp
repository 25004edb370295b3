#include "ui/imageclass/evaluation_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QSplitter>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace dw {

namespace {
// The misclassified images the matrix counts (off its diagonal).
qint64 offDiagonal(const std::vector<std::vector<double>> &counts)
{
    double wrong = 0;
    for (size_t truth = 0; truth < counts.size(); ++truth)
        for (size_t predicted = 0; predicted < counts[truth].size(); ++predicted)
            if (truth != predicted)
                wrong += counts[truth][predicted];
    return qint64(wrong);
}
}  // namespace

namespace {

QString percent(double fraction)
{
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

// A table cell that shows a number with a fixed number of decimals and sorts by value.
class NumberItem : public QTableWidgetItem {
public:
    NumberItem(double value, int decimals) : QTableWidgetItem(QString::number(value, 'f', decimals))
    {
        setData(Qt::UserRole, value);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem &other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

// Cells with more classes than this get no numbers written in them (they would not fit).
constexpr int kMaxLabelledClasses = 20;

}  // namespace

EvaluationView::EvaluationView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("evaluationSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_summary, 1);
    m_normalise = new QCheckBox(tr("Row-normalised"), this);
    m_normalise->setObjectName(QStringLiteral("normaliseRows"));
    m_normalise->setToolTip(tr("Show each true class's row as shares (the recall on the diagonal) instead of counts."));
    top->addWidget(m_normalise);
    layout->addLayout(top);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter, 1);
    m_plot = new QCustomPlot(splitter);
    m_plot->setObjectName(QStringLiteral("confusionMatrix"));
    m_plot->setMinimumSize(320, 280);
    m_plot->xAxis->setLabel(tr("predicted class"));
    m_plot->yAxis->setLabel(tr("true class"));
    m_plot->yAxis->setRangeReversed(true);  // the first class on top, as in a table
    m_plot->xAxis->setTickLabelRotation(-40);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(255, 255, 255));
    gradient.setColorStopAt(1.0, QColor(8, 69, 148));
    m_map->setGradient(gradient);
    m_map->setInterpolate(false);

    auto *right = new QSplitter(Qt::Vertical, splitter);
    m_table = new QTableWidget(right);
    m_table->setObjectName(QStringLiteral("perClassTable"));
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    m_table->setSortingEnabled(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

    auto *galleryBox = new QWidget(right);
    auto *galleryLayout = new QHBoxLayout(galleryBox);
    galleryLayout->setContentsMargins(0, 0, 0, 0);
    m_gallery = new QListWidget(galleryBox);
    m_gallery->setObjectName(QStringLiteral("misclassifiedGallery"));
    m_gallery->setViewMode(QListView::IconMode);
    m_gallery->setResizeMode(QListView::Adjust);
    m_gallery->setMovement(QListView::Static);
    m_gallery->setIconSize(QSize(72, 72));
    m_gallery->setGridSize(QSize(120, 112));
    m_gallery->setWordWrap(true);
    galleryLayout->addWidget(m_gallery, 3);
    auto *detail = new QWidget(galleryBox);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detailImage = new QLabel(detail);
    m_detailImage->setAlignment(Qt::AlignCenter);
    m_detailImage->setMinimumSize(128, 128);
    detailLayout->addWidget(m_detailImage, 1);
    m_detail = new QLabel(detail);
    m_detail->setObjectName(QStringLiteral("misclassifiedDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setText(tr("Click a misclassified image to see it."));
    detailLayout->addWidget(m_detail);
    galleryLayout->addWidget(detail, 2);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    right->setStretchFactor(0, 2);  // a few rows of classes; the gallery needs the room
    right->setStretchFactor(1, 3);

    connect(m_normalise, &QCheckBox::toggled, this, &EvaluationView::updateMatrix);
    connect(m_plot, &QCustomPlot::mousePress, this, &EvaluationView::cellClicked);
    connect(m_gallery, &QListWidget::currentRowChanged, this, &EvaluationView::showMisclassified);
    clear();
}

void EvaluationView::clear(const QString &note)
{
    setData({});
    m_summary->setText(note.isEmpty() ? tr("No evaluation shown: select a trained image classifier, then Evaluate… on "
                                           "labelled images.")
                                      : note);
}

void EvaluationView::setData(const EvaluationData &data)
{
    m_data = data;
    const QJsonObject &r = m_data.report;
    m_classes.clear();
    for (const QJsonValue &c : r.value(QStringLiteral("classes")).toArray())
        m_classes << c.toString();
    m_counts.clear();
    for (const QJsonValue &row : r.value(QStringLiteral("confusion_matrix")).toArray()) {
        std::vector<double> counts;
        for (const QJsonValue &v : row.toArray())
            counts.push_back(v.toDouble());
        m_counts.push_back(std::move(counts));
    }
    if (!r.isEmpty()) {
        const QJsonObject macro = r.value(QStringLiteral("macro")).toObject();
        const QJsonObject weighted = r.value(QStringLiteral("weighted")).toObject();
        const QString source = m_data.source.isEmpty() ? QString() : tr("On %1: ").arg(m_data.source.toHtmlEscaped());
        m_summary->setText(
            source + tr("<b>Top-1 %1</b> &nbsp; Top-%2 %3 &nbsp; on %4 images &nbsp;·&nbsp; macro P/R/F1 %5 / %6 / %7 "
                        "&nbsp;·&nbsp; weighted F1 %8 &nbsp;·&nbsp; %9 misclassified")
                         .arg(percent(r.value(QStringLiteral("top1")).toDouble()))
                         .arg(r.value(QStringLiteral("top_k")).toInt(5))
                         .arg(percent(r.value(QStringLiteral("top5")).toDouble()))
                         .arg(r.value(QStringLiteral("samples")).toInteger())
                         .arg(macro.value(QStringLiteral("precision")).toDouble(), 0, 'f', 3)
                         .arg(macro.value(QStringLiteral("recall")).toDouble(), 0, 'f', 3)
                         .arg(macro.value(QStringLiteral("f1")).toDouble(), 0, 'f', 3)
                         .arg(weighted.value(QStringLiteral("f1")).toDouble(), 0, 'f', 3)
                         .arg(m_counts.empty() ? m_data.misclassifiedTotal : offDiagonal(m_counts)));
    }
    fillTable();
    m_gallery->clear();
    for (const MisclassifiedImage &image : std::as_const(m_data.misclassified)) {
        auto *item = new QListWidgetItem(QPixmap::fromImage(image.thumbnail),
                                         image.truth + QStringLiteral(" → ") + image.prediction);
        item->setToolTip(QDir::toNativeSeparators(image.file));
        m_gallery->addItem(item);
    }
    m_cell = {-1, -1};
    m_detailImage->clear();
    m_detail->setText(galleryHint());
    updateMatrix();
}

void EvaluationView::showCell(int truth, int predicted)
{
    const int n = int(m_classes.size());
    if (truth < 0 || truth >= n || predicted < 0 || predicted >= n)
        return;
    if (m_cell == std::pair{truth, predicted}) {  // a second click on the same cell
        showAllMisclassified();
        return;
    }
    m_cell = {truth, predicted};
    const QString &t = m_classes.at(truth), &p = m_classes.at(predicted);
    int shown = 0;
    for (int row = 0; row < m_gallery->count(); ++row) {
        const MisclassifiedImage &image = m_data.misclassified.at(row);
        const bool match = image.truth == t && image.prediction == p;
        m_gallery->item(row)->setHidden(!match);
        shown += match ? 1 : 0;
    }
    m_detailImage->clear();
    const qint64 count = qint64(m_counts.at(truth).at(predicted));
    if (truth == predicted)
        m_detail->setText(tr("<b>%1</b> predicted as itself: %n correct image(s); only misclassified images are "
                             "listed. Click the cell again to see them all.",
                             nullptr, int(count))
                              .arg(t.toHtmlEscaped()));
    else
        m_detail->setText(tr("<b>%1</b> predicted as <b>%2</b>: %3 of %n image(s) shown. Click the cell again to "
                             "see all misclassified images.",
                             nullptr, int(count))
                              .arg(t.toHtmlEscaped(), p.toHtmlEscaped())
                              .arg(shown));
}

void EvaluationView::showAllMisclassified()
{
    m_cell = {-1, -1};
    for (int row = 0; row < m_gallery->count(); ++row)
        m_gallery->item(row)->setHidden(false);
    m_detail->setText(galleryHint());
}

QString EvaluationView::galleryHint() const
{
    if (!m_data.misclassified.isEmpty())
        return tr("Click a misclassified image to see it, or a cell of the matrix to see only its images.");
    if (offDiagonal(m_counts) > 0)  // the scores came without the per-image predictions
        return tr("The images behind these counts are not available: this evaluation keeps only its scores (a demo "
                  "module ships without its test pictures). Evaluate the module on a folder of labelled images to "
                  "see its misclassified images.");
    return tr("No misclassified images to show.");
}

int EvaluationView::visibleInGallery() const
{
    int visible = 0;
    for (int row = 0; row < m_gallery->count(); ++row)
        visible += m_gallery->item(row)->isHidden() ? 0 : 1;
    return visible;
}

void EvaluationView::cellClicked(QMouseEvent *event)
{
    const int predicted = int(std::lround(m_plot->xAxis->pixelToCoord(event->position().x())));
    const int truth = int(std::lround(m_plot->yAxis->pixelToCoord(event->position().y())));
    showCell(truth, predicted);
}

bool EvaluationView::isNormalised() const
{
    return m_normalise->isChecked();
}

void EvaluationView::setNormalised(bool normalised)
{
    m_normalise->setChecked(normalised);
}

double EvaluationView::cellValue(int truth, int predicted) const
{
    if (truth < 0 || truth >= int(m_counts.size()) || predicted < 0 || predicted >= int(m_counts[truth].size()))
        return 0.0;
    const double count = m_counts[truth][predicted];
    if (!isNormalised())
        return count;
    double row = 0.0;
    for (double v : m_counts[truth])
        row += v;
    return row > 0.0 ? count / row : 0.0;
}

QString EvaluationView::cellText(int truth, int predicted) const
{
    const double v = cellValue(truth, predicted);
    return isNormalised() ? QString::number(v, 'f', 2) : QString::number(qint64(v));
}

QString EvaluationView::summaryText() const
{
    return m_summary->text();
}

void EvaluationView::updateMatrix()
{
    m_plot->clearItems();
    const int n = int(m_classes.size());
    m_map->data()->setSize(std::max(n, 1), std::max(n, 1));
    m_map->data()->setRange(QCPRange(0, std::max(n - 1, 0)), QCPRange(0, std::max(n - 1, 0)));
    double highest = 0.0;
    for (int t = 0; t < n; ++t) {
        for (int p = 0; p < n; ++p) {
            const double v = cellValue(t, p);
            m_map->data()->setCell(p, t, v);
            highest = std::max(highest, v);
        }
    }
    m_map->setDataRange(QCPRange(0.0, isNormalised() ? 1.0 : std::max(highest, 1.0)));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < n; ++i)
        ticker->addTick(i, m_classes.at(i));
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setTicker(ticker);
    m_plot->xAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    m_plot->yAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    if (n > 0 && n <= kMaxLabelledClasses) {
        const double top = isNormalised() ? 1.0 : std::max(highest, 1.0);
        for (int t = 0; t < n; ++t) {
            for (int p = 0; p < n; ++p) {
                auto *text = new QCPItemText(m_plot);
                text->position->setCoords(p, t);
                text->setText(cellText(t, p));
                text->setColor(cellValue(t, p) > 0.5 * top ? Qt::white : Qt::black);
            }
        }
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void EvaluationView::fillTable()
{
    m_table->setSortingEnabled(false);
    const QJsonArray perClass = m_data.report.value(QStringLiteral("per_class")).toArray();
    m_table->setRowCount(int(perClass.size()));
    for (int row = 0; row < perClass.size(); ++row) {
        const QJsonObject c = perClass.at(row).toObject();
        m_table->setItem(row, 0, new QTableWidgetItem(c.value(QStringLiteral("class")).toString()));
        int column = 1;
        for (const char *key : {"precision", "recall", "f1"})
            m_table->setItem(row, column++, new NumberItem(c.value(QLatin1String(key)).toDouble(), 3));
        m_table->setItem(row, 4, new NumberItem(double(c.value(QStringLiteral("support")).toInteger()), 0));
    }
    m_table->setSortingEnabled(true);
}

void EvaluationView::showMisclassified(int row)
{
    if (row < 0 || row >= m_data.misclassified.size()) {
        m_detailImage->clear();
        return;
    }
    const MisclassifiedImage &image = m_data.misclassified.at(row);
    QStringList lines{tr("<b>%1</b>").arg(QFileInfo(image.file).fileName().toHtmlEscaped()),
                      tr("truth: <b>%1</b>, predicted: <b>%2</b>")
                          .arg(image.truth.toHtmlEscaped(), image.prediction.toHtmlEscaped())};
    for (int i = 0; i < std::min<qsizetype>(image.scores.size(), 5); ++i)
        lines << QStringLiteral("%1: %2").arg(image.scores.at(i).label.toHtmlEscaped(),
                                              percent(image.scores.at(i).probability));
    m_detail->setText(lines.join(QStringLiteral("<br>")));
    m_detailImage->setPixmap(
        QPixmap::fromImage(image.thumbnail).scaled(128, 128, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    // The full image, decoded off the GUI thread.
    QPointer<QLabel> target(m_detailImage);
    const QString file = image.file;
    QThreadPool::globalInstance()->start([target, file] {
        QImageReader reader(file);
        reader.setAutoTransform(true);
        const QSize size = reader.size();
        if (size.isValid())
            reader.setScaledSize(size.scaled(256, 256, Qt::KeepAspectRatio));
        QImage picture = reader.read();
        QMetaObject::invokeMethod(
            qApp,
            [target, picture] {
                if (target && !picture.isNull())
                    target->setPixmap(QPixmap::fromImage(picture));
            },
            Qt::QueuedConnection);
    });
}

}  // namespace dw
