#include "ui/jobs/job_delegate.h"

#include "core/jobs/job.h"
#include "ui/jobs/job_list_model.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>

namespace dw {

namespace {

constexpr int kPadding = 6;
constexpr int kBarHeight = 12;

const QStyle *styleOf(const QStyleOptionViewItem &option)
{
    return option.widget ? option.widget->style() : QApplication::style();
}

}  // namespace

JobDelegate::JobDelegate(QObject *parent) : QStyledItemDelegate(parent)
{}

QRect JobDelegate::cancelButtonRect(const QStyleOptionViewItem &option)
{
    const QFontMetrics metrics(option.font);
    const int width = metrics.horizontalAdvance(tr("Cancel")) + 24;
    const int height = metrics.height() + 8;
    return {option.rect.right() - kPadding - width, option.rect.top() + (option.rect.height() - height) / 2, width,
            height};
}

void JobDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QStyle *style = styleOf(option);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, option.widget);

    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const auto state = JobState(index.data(JobListModel::StateRole).toInt());
    const bool cancellable = index.data(JobListModel::CancellableRole).toBool();
    const QRect cancelRect = cancelButtonRect(option);
    const int right = cancellable ? cancelRect.left() - kPadding : option.rect.right() - kPadding;
    QRect content(option.rect.left() + kPadding, option.rect.top() + kPadding, right - option.rect.left() - kPadding,
                  option.rect.height() - 2 * kPadding);

    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(
        QRect(content.left(), content.top(), content.width(), boldMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        boldMetrics.elidedText(index.data(JobListModel::TitleRole).toString(), Qt::ElideRight, content.width()));
    int y = content.top() + boldMetrics.height() + 3;

    QStyleOptionProgressBar bar;
    bar.rect = QRect(content.left(), y, content.width(), kBarHeight);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = state == JobState::Done ? 1000 : qRound(index.data(JobListModel::ProgressRole).toDouble() * 1000);
    bar.textVisible = false;
    bar.state = QStyle::State_Enabled | QStyle::State_Horizontal;
    bar.palette = palette;
    if (state == JobState::Failed)
        bar.palette.setColor(QPalette::Highlight, QColor(0xc6, 0x28, 0x28));
    else if (state == JobState::Done)
        bar.palette.setColor(QPalette::Highlight, QColor(0x2e, 0x7d, 0x32));
    else if (state == JobState::Cancelled || state == JobState::Queued)
        bar.palette.setColor(QPalette::Highlight, QColor(0x90, 0xa4, 0xae));
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
    y += kBarHeight + 3;

    painter->setFont(option.font);
    painter->setPen(state == JobState::Failed && !selected ? QColor(0xc6, 0x28, 0x28) : text);
    painter->drawText(
        QRect(content.left(), y, content.width(), metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(index.data(JobListModel::StatusTextRole).toString(), Qt::ElideRight, content.width()));

    if (cancellable) {
        QStyleOptionButton button;
        button.rect = cancelRect;
        button.text = tr("Cancel");
        button.state = QStyle::State_Enabled | QStyle::State_Raised;
        button.palette = palette;
        button.fontMetrics = option.fontMetrics;
        style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
    }
    painter->restore();
}

QSize JobDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    QFont bold = option.font;
    bold.setBold(true);
    const int height = 2 * kPadding + QFontMetrics(bold).height() + 3 + kBarHeight + 3 + option.fontMetrics.height();
    return {option.fontMetrics.averageCharWidth() * 40, height};
}

bool JobDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                              const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease && index.data(JobListModel::CancellableRole).toBool()) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton && cancelButtonRect(option).contains(mouse->position().toPoint())) {
            Q_EMIT cancelRequested(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

}  // namespace dw
