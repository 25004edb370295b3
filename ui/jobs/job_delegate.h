#pragma once
// Draws a job row of JobListModel: title, a progress bar, the state with ETA or the
// error, and a Cancel button while the job is queued or running.
#include <QStyledItemDelegate>

namespace dw {

class JobDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit JobDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    // Where the Cancel button of a row lies (in view coordinates).
    static QRect cancelButtonRect(const QStyleOptionViewItem &option);

Q_SIGNALS:
    void cancelRequested(const QModelIndex &index);
};

}  // namespace dw
