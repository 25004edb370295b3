#pragma once
// Draws a catalog entry: as a row (list mode) or a card (icon mode of the QListView).
// Title, task badge, markers (template, invalid, built-in, no plugin yet), summary and
// keywords, all from CatalogModel roles.
#include <QStyledItemDelegate>

namespace dw {

class ModuleDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ModuleDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The marker words drawn for an entry, in order ("invalid", "template", ...).
    static QStringList markers(const QModelIndex &index);
    // The module's headline figure, as the card shows it ("Test top-1 accuracy 93.1 %",
    // "PSNR gain over bicubic 0.77 dB", "MAE 12.3"); empty when it has none.
    static QString headline(const QModelIndex &index);

private:
    struct Badge {
        QString text;
        QColor color;
        bool filled;
    };
    static QList<Badge> badges(const QModelIndex &index);
    static int drawBadge(QPainter *painter, const QFont &font, const Badge &badge, QPoint topLeft, int maxRight);
    static bool isGrid(const QStyleOptionViewItem &option);
};

}  // namespace dw
