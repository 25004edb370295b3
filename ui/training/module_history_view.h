#pragma once
// How a trained module's training went: the curves of its history.json (read off the GUI
// thread) with a line naming the epochs, the best one and why it stopped. Shown under the
// module page of the catalog and in the Train workspace; any task that writes a
// history.json in the shared format gets it.
#include <QString>
#include <QWidget>

class QLabel;

namespace dw {

struct CatalogEntry;
class TrainingCurves;

class ModuleHistoryView : public QWidget {
    Q_OBJECT
public:
    // hideWhenEmpty: the view hides itself for modules without a history (the catalog);
    // otherwise it says why there is nothing to show.
    explicit ModuleHistoryView(bool hideWhenEmpty, QWidget *parent = nullptr);

    // entry null, built in or a template: nothing to show.
    void showModule(const CatalogEntry *entry);
    TrainingCurves *curves() const { return m_curves; }
    QLabel *note() const { return m_note; }
    const QString &moduleDirectory() const { return m_directory; }

Q_SIGNALS:
    void historyShown(const QString &moduleDirectory);

private:
    void showNothing(const QString &why);

    bool m_hideWhenEmpty = false;
    QLabel *m_note = nullptr;
    TrainingCurves *m_curves = nullptr;
    QString m_directory;
    int m_generation = 0;
};

}  // namespace dw
