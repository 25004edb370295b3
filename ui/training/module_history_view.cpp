#include "ui/training/module_history_view.h"

#include "core/catalog/catalog_entry.h"
#include "core/ml/training_history.h"
#include "ui/training/training_curves.h"

#include <QCoreApplication>
#include <QDir>
#include <QLabel>
#include <QPointer>
#include <QThreadPool>
#include <QVBoxLayout>

namespace dw {

ModuleHistoryView::ModuleHistoryView(bool hideWhenEmpty, QWidget *parent)
    : QWidget(parent), m_hideWhenEmpty(hideWhenEmpty)
{
    setObjectName(QStringLiteral("moduleHistory"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_curves = new TrainingCurves(this);
    layout->addWidget(m_curves, 1);
    showNothing(tr("Select a trained module in the Catalog to see how its training went."));
}

void ModuleHistoryView::showNothing(const QString &why)
{
    m_curves->clear();
    m_note->setText(why);
    if (m_hideWhenEmpty)
        hide();
}

void ModuleHistoryView::showModule(const CatalogEntry *entry)
{
    const int generation = ++m_generation;
    if (!entry || entry->manifest.isTemplate()) {
        m_directory.clear();
        showNothing(tr("Select a trained module in the Catalog to see how its training went."));
        return;
    }
    m_directory = entry->path;
    const QString directory = entry->path;
    const QString title = entry->manifest.title.isEmpty() ? entry->id() : entry->manifest.title;
    // A small file, but still a disk read: on a pool thread, the answer only if still wanted.
    QPointer<ModuleHistoryView> self(this);
    QThreadPool::globalInstance()->start([self, directory, title, generation] {
        Result<TrainingHistory> history =
            TrainingHistory::load(QDir(directory).filePath(QStringLiteral("history.json")));
        QMetaObject::invokeMethod(
            qApp,
            [self, history = std::move(history), directory, title, generation] {
                if (!self || self->m_generation != generation)
                    return;
                if (!history || history->isEmpty()) {
                    self->showNothing(tr("%1 has no training history (history.json).").arg(title));
                    return;
                }
                self->m_curves->setHistory(*history);
                self->m_note->setText(
                    tr("<b>Training of %1</b>: %n epoch(s), best epoch %2%3", nullptr, int(history->epochs().size()))
                        .arg(title.toHtmlEscaped())
                        .arg(history->bestEpoch())
                        .arg(history->stopped().isEmpty() ? QString() : QStringLiteral(", ") + history->stopped()));
                if (self->m_hideWhenEmpty)  // never show() a page of a tab widget: it would cover the others
                    self->show();
                Q_EMIT self->historyShown(directory);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace dw
