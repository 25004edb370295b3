#pragma once
// The catalog's "Compare" action: enabled while two to four modules are selected in the
// catalog list, it opens a window comparing them (CompareView).
#include <QList>
#include <QObject>
#include <QPointer>

class QAbstractItemView;
class QAction;
class QDialog;

namespace dw {

class CatalogModel;
class CompareView;
struct CatalogEntry;

class CompareAction : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinModules = 2;
    static constexpr int kMaxModules = 4;

    // view: the catalog list over (a proxy of) model; the compare windows are its children.
    CompareAction(QAbstractItemView *view, const CatalogModel *model, QObject *parent = nullptr);

    QAction *action() const { return m_action; }
    QList<CatalogEntry> selectedEntries() const;  // in list order
    // Opens a window on the selected modules (nullptr when fewer than 2 or more than 4).
    CompareView *open();
    CompareView *lastView() const;  // the newest window's view, while it is open

private:
    void updateEnabled();

    QAbstractItemView *m_view = nullptr;
    const CatalogModel *m_model = nullptr;
    QAction *m_action = nullptr;
    QPointer<QDialog> m_last;
};

}  // namespace dw
