#pragma once
// A module's family as a tree under its page: ancestors from the oldest down, then the
// parent's children (the module itself in bold, its siblings beside it) and the module's
// own children. A click on another module asks to open its page, through the same signal
// as the page's module: links. Hidden for a module without parent and children.
#include <QHash>
#include <QList>
#include <QTreeWidget>

namespace dw {

struct CatalogEntry;
struct ModuleLineage;

class LineageTree : public QTreeWidget {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, RelationRole };  // RelationRole: "ancestor", "self", ...

    explicit LineageTree(QWidget *parent = nullptr);

    // entries: the catalog; id empty: nothing to show.
    void showModule(const QList<CatalogEntry> &entries, const QString &id);
    const QString &moduleId() const { return m_id; }
    QTreeWidgetItem *itemFor(const QString &id) const;  // nullptr when not in the tree

Q_SIGNALS:
    void moduleLinkActivated(const QString &id);

private:
    QTreeWidgetItem *addNode(QTreeWidgetItem *parent, const QString &id, const QString &relation);
    void onItemClicked(QTreeWidgetItem *item);
    void fitHeight();

    static constexpr int kMaxRows = 8;

    QString m_id;
    QHash<QString, QString> m_titles;  // id -> title, for the nodes
};

}  // namespace dw
