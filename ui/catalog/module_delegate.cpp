#include "ui/catalog/module_delegate.h"

#include "core/catalog/catalog_model.h"
#include "ui/catalog/metric_text.h"
#include "ui/catalog/task_style.h"

#include <QApplication>
#include <QJsonObject>
#include <QListView>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

namespace dw {

namespace {

constexpr int kPadding = 10;

QFont titleFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    font.setPointSizeF(base.pointSizeF() * 1.1);
    return font;
}

QFont smallFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

// Draws text wrapped into rect, at most maxLines lines, the last one elided.
void drawWrapped(QPainter *painter, const QRect &rect, const QString &text, int maxLines)
{
    const QFontMetrics metrics = painter->fontMetrics();
    QTextLayout layout(text, painter->font());
    layout.beginLayout();
    int y = rect.top();
    for (int line = 0; line < maxLines; ++line) {
        QTextLine textLine = layout.createLine();
        if (!textLine.isValid())
            break;
        textLine.setLineWidth(rect.width());
        const bool last = line == maxLines - 1 || y + 2 * metrics.lineSpacing() > rect.bottom() + 1;
        if (last) {
            const QString rest = text.mid(textLine.textStart());
            painter->drawText(QRect(rect.left(), y, rect.width(), metrics.height()), Qt::AlignLeft | Qt::AlignTop,
                              metrics.elidedText(rest.simplified(), Qt::ElideRight, rect.width()));
            break;
        }
        painter->drawText(QRect(rect.left(), y, rect.width(), metrics.height()), Qt::AlignLeft | Qt::AlignTop,
                          text.mid(textLine.textStart(), textLine.textLength()));
        y += metrics.lineSpacing();
    }
    layout.endLayout();
}

}  // namespace

ModuleDelegate::ModuleDelegate(QObject *parent) : QStyledItemDelegate(parent)
{}

bool ModuleDelegate::isGrid(const QStyleOptionViewItem &option)
{
    const auto *view = qobject_cast<const QListView *>(option.widget);
    return view && view->viewMode() == QListView::IconMode;
}

QStringList ModuleDelegate::markers(const QModelIndex &index)
{
    // A module a training or an import is writing (or a training left unfinished) is not
    // broken, and what its manifest would say is not known yet.
    if (index.data(CatalogModel::BeingWrittenRole).toBool())
        return {tr("being written")};
    if (index.data(CatalogModel::InterruptedRole).toBool())
        return {tr("interrupted training")};
    QStringList result;
    if (!index.data(CatalogModel::ValidRole).toBool())
        result << tr("invalid");
    if (index.data(CatalogModel::TemplateRole).toBool())
        result << tr("template");
    if (index.data(CatalogModel::BuiltInRole).toBool())
        result << (index.data(CatalogModel::KeywordsRole)
                           .toStringList()
                           .contains(QStringLiteral("demo"), Qt::CaseInsensitive)
                       ? tr("demo")
                       : tr("built-in"));
    if (!index.data(CatalogModel::PluginAvailableRole).toBool())
        result << tr("no plugin yet");
    return result;
}

QString ModuleDelegate::headline(const QModelIndex &index)
{
    // What each task is judged by first: held-out accuracy, the gain over bicubic, the error.
    static const QStringList preferred{QStringLiteral("test_top1"), QStringLiteral("top1_accuracy"),
                                       QStringLiteral("val_top1"),  QStringLiteral("psnr_gain_db"),
                                       QStringLiteral("val_psnr"),  QStringLiteral("mae"),
                                       QStringLiteral("val_loss")};
    const QJsonObject metrics = index.data(CatalogModel::MetricsRole).toJsonObject();
    for (const QString &key : preferred)
        if (metrics.value(key).isDouble())
            return metricName(key) + QLatin1Char(' ') + metricValue(key, metrics.value(key));
    return {};
}

QList<ModuleDelegate::Badge> ModuleDelegate::badges(const QModelIndex &index)
{
    QList<Badge> result;
    const QString task = index.data(CatalogModel::TaskRole).toString();
    if (!task.isEmpty())
        result.append({taskDisplayName(task), taskColor(task), true});
    for (const QString &marker : markers(index)) {
        if (marker == tr("invalid"))
            result.append({marker, QColor(0xc6, 0x28, 0x28), true});
        else if (marker == tr("being written"))
            result.append({marker, QColor(0x15, 0x65, 0xc0), true});
        else if (marker == tr("interrupted training"))
            result.append({marker, QColor(0xb2, 0x6a, 0x00), true});
        else if (marker == tr("no plugin yet"))
            result.append({marker, QColor(0xb2, 0x6a, 0x00), false});
        else
            result.append({marker, QColor(0x54, 0x6e, 0x7a), false});
    }
    return result;
}

int ModuleDelegate::drawBadge(QPainter *painter, const QFont &font, const Badge &badge, QPoint topLeft, int maxRight)
{
    const QFontMetrics metrics(font);
    const int width = metrics.horizontalAdvance(badge.text) + 12;
    const int height = metrics.height() + 2;
    if (topLeft.x() + width > maxRight)
        return topLeft.x();
    const QRectF rect(topLeft.x() + 0.5, topLeft.y() + 0.5, width - 1, height - 1);
    QPainterPath path;
    path.addRoundedRect(rect, height / 2.0, height / 2.0);
    painter->save();
    painter->setFont(font);
    if (badge.filled) {
        painter->fillPath(path, badge.color);
        painter->setPen(Qt::white);
    } else {
        painter->setPen(QPen(badge.color, 1));
        painter->drawPath(path);
    }
    painter->setPen(badge.filled ? QColor(Qt::white) : badge.color);
    painter->drawText(rect, Qt::AlignCenter, badge.text);
    painter->restore();
    return topLeft.x() + width + 5;
}

void ModuleDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool grid = isGrid(option);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;

    // Background: a card in grid mode, a row separated by a thin line in list mode.
    QRectF frame = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5);
    QColor fill = palette.color(QPalette::Base);
    if (selected) {
        QColor highlight = palette.color(QPalette::Highlight);
        highlight.setAlpha(45);
        fill = highlight;
    } else if (hovered) {
        fill = palette.color(QPalette::AlternateBase);
    }
    QPainterPath card;
    card.addRoundedRect(frame, 6, 6);
    painter->fillPath(card, fill);
    if (grid || selected) {
        painter->setPen(QPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), 1));
        painter->drawPath(card);
    } else {
        painter->setPen(QPen(palette.color(QPalette::Midlight), 1));
        painter->drawLine(option.rect.bottomLeft() + QPoint(kPadding, 0),
                          option.rect.bottomRight() - QPoint(kPadding, 0));
    }

    const QRect content = option.rect.adjusted(kPadding, kPadding - 2, -kPadding, -kPadding + 2);
    const QFont title = titleFont(option.font);
    const QFont small = smallFont(option.font);
    const QFontMetrics titleMetrics(title);
    const QFontMetrics smallMetrics(small);
    const bool valid = index.data(CatalogModel::ValidRole).toBool();
    QColor text = palette.color(QPalette::Text);
    QColor muted = palette.color(QPalette::PlaceholderText);
    int y = content.top();

    // Title, then the badges: on the title's line in list mode, under it in grid mode.
    painter->setFont(title);
    painter->setPen(valid ? text : QColor(0xc6, 0x28, 0x28));
    const QString titleText = index.data(Qt::DisplayRole).toString();
    const QList<Badge> allBadges = badges(index);
    int badgeWidth = 0;
    for (const Badge &badge : allBadges)
        badgeWidth += smallMetrics.horizontalAdvance(badge.text) + 17;
    const int titleSpace = grid ? content.width() : qMax(content.width() / 2, content.width() - badgeWidth);
    const QString elidedTitle = titleMetrics.elidedText(titleText, Qt::ElideRight, titleSpace);
    painter->drawText(QRect(content.left(), y, titleSpace, titleMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      elidedTitle);
    int badgeX = grid ? content.left() : content.left() + titleMetrics.horizontalAdvance(elidedTitle) + 10;
    int badgeY = grid ? y + titleMetrics.height() + 4 : y + (titleMetrics.height() - smallMetrics.height() - 2) / 2;
    for (const Badge &badge : allBadges)
        badgeX = drawBadge(painter, small, badge, QPoint(badgeX, badgeY), content.right());
    y += titleMetrics.height() + 4;
    if (grid)
        y += smallMetrics.height() + 6;

    // Summary: one line in a row, three in a card.
    painter->setFont(option.font);
    painter->setPen(text);
    QString summary = index.data(CatalogModel::SummaryRole).toString();
    if (!valid) {
        const QStringList problems = index.data(CatalogModel::ProblemsRole).toStringList();
        summary = tr("%n problem(s): %1", nullptr, int(problems.size())).arg(problems.value(0));
        painter->setPen(QColor(0xc6, 0x28, 0x28));
    }
    const int summaryLines = grid ? 3 : 1;
    const int keywordsTop = content.bottom() - smallMetrics.height() + 1;
    drawWrapped(painter, QRect(content.left(), y, content.width(), keywordsTop - y - 2), summary, summaryLines);

    // Keywords and license on the last line.
    painter->setFont(small);
    painter->setPen(muted);
    const QStringList keywords = index.data(CatalogModel::KeywordsRole).toStringList();
    QString footer = keywords.join(QStringLiteral(" · "));
    if (const QString figure = headline(index); !figure.isEmpty())  // the headline figure first
        footer = footer.isEmpty() ? figure : figure + QStringLiteral("   —   ") + footer;
    const QString license = index.data(CatalogModel::LicenseRole).toString();
    if (!license.isEmpty() && !grid)
        footer = footer.isEmpty() ? license : footer + QStringLiteral("   —   ") + license;
    painter->drawText(QRect(content.left(), keywordsTop, content.width(), smallMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(footer, Qt::ElideRight, content.width()));
    painter->restore();
}

QSize ModuleDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics titleMetrics(titleFont(option.font));
    const QFontMetrics metrics(option.font);
    const QFontMetrics smallMetrics(smallFont(option.font));
    if (isGrid(option)) {
        const int height = 2 * kPadding + titleMetrics.height() + 4 + smallMetrics.height() + 6 +
                           3 * metrics.lineSpacing() + 4 + smallMetrics.height();
        return {metrics.averageCharWidth() * 40, height};
    }
    const int height = 2 * kPadding + titleMetrics.height() + 4 + metrics.lineSpacing() + 4 + smallMetrics.height();
    return {metrics.averageCharWidth() * 40, height};
}

}  // namespace dw
