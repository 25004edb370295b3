#pragma once
// The page of one module: its Markdown description, then keywords, license, authors,
// version, task, architecture, metrics, links, provenance, and — for a broken module —
// every validation problem, in red, with what to do.
#include <QTextBrowser>

namespace dw {

struct CatalogEntry;

class ModulePage : public QTextBrowser {
    Q_OBJECT
public:
    explicit ModulePage(QWidget *parent = nullptr);

    // entry null: a hint to select a module. pluginAvailable: a loaded plugin runs its task.
    void showEntry(const CatalogEntry *entry, bool pluginAvailable);
    const QString &moduleId() const { return m_moduleId; }

    // The parts of the page as HTML (public so that tests and exports can reuse them).
    static QString headerHtml(const CatalogEntry &entry, bool pluginAvailable);
    static QString problemsHtml(const CatalogEntry &entry);
    // A module being written, or a training that stopped before it finished: not a broken one.
    static QString unfinishedHtml(const CatalogEntry &entry);
    static QString detailsHtml(const CatalogEntry &entry);
    // The title of the labels row, by task ("Classes (%1)", "Bands (%1)", "Forecast targets (%1)").
    static QString labelsTitle(const QString &task);
    // The description without a leading "# Title" heading that repeats the title.
    static QString descriptionMarkdown(const CatalogEntry &entry);

Q_SIGNALS:
    // A link to another module (its parent) was clicked.
    void moduleLinkActivated(const QString &id);

private:
    void onAnchorClicked(const QUrl &url);

    QString m_moduleId;
};

}  // namespace dw
