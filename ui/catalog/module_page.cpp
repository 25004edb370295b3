#include "ui/catalog/module_page.h"

#include "ui/serve/serve_window.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/demo_modules.h"
#include "ui/catalog/json_text.h"
#include "ui/catalog/metric_text.h"
#include "ui/catalog/task_style.h"

#include <QDesktopServices>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QUrl>

namespace dw {

namespace {

const char *kProblemColor = "#c62828";

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString link(const QString &url, const QString &text = {})
{
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(esc(url), esc(text.isEmpty() ? url : text));
}

QString badge(const QString &text, const QString &color, bool filled)
{
    // QTextDocument has no rounded corners; padding with non-breaking spaces reads as a pill.
    if (filled)
        return QStringLiteral("<span style=\"background-color:%1; color:white;\">&nbsp;%2&nbsp;</span>")
            .arg(color, esc(text));
    return QStringLiteral("<span style=\"color:%1; font-weight:600;\">[%2]</span>").arg(color, esc(text));
}

QString row(const QString &name, const QString &valueHtml)
{
    return QStringLiteral("<tr><td style=\"color:#546e7a; padding-right:16px;\">%1</td><td>%2</td></tr>")
        .arg(esc(name), valueHtml);
}

QString objectTable(const QJsonObject &object)
{
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    for (auto it = object.begin(); it != object.end(); ++it)
        html += row(it.key(), esc(jsonValueText(it.value())));
    return html + QStringLiteral("</table>");
}

QString section(const QString &title)
{
    return QStringLiteral("<h3 style=\"margin-top:14px;\">%1</h3>").arg(esc(title));
}

QUrl folderUrl(const QString &path)
{
    return path.startsWith(QLatin1Char(':')) ? QUrl() : QUrl::fromLocalFile(path);
}

}  // namespace

ModulePage::ModulePage(QWidget *parent) : QTextBrowser(parent)
{
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
    document()->setDocumentMargin(16);
    connect(this, &QTextBrowser::anchorClicked, this, &ModulePage::onAnchorClicked);
    showEntry(nullptr, false);
}

void ModulePage::showEntry(const CatalogEntry *entry, bool pluginAvailable)
{
    clear();
    if (!entry) {
        m_moduleId.clear();
        setHtml(QStringLiteral("<p style=\"color:#78909c; margin-top:40px;\" align=\"center\">%1</p>")
                    .arg(esc(tr("Select a module to see its description, metrics and links."))));
        return;
    }
    m_moduleId = entry->id();
    QTextCursor cursor(document());
    cursor.insertHtml(headerHtml(*entry, pluginAvailable));
    if (entry->beingWritten || entry->interrupted) {
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        cursor.insertHtml(unfinishedHtml(*entry));
        moveCursor(QTextCursor::Start);
        return;
    }
    if (!entry->isValid()) {
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        cursor.insertHtml(problemsHtml(*entry));
    }
    const QString description = descriptionMarkdown(*entry);
    if (!description.trimmed().isEmpty()) {
        QTextDocument markdown;
        markdown.setMarkdown(description);
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        cursor.insertFragment(QTextDocumentFragment(&markdown));
    }
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
    cursor.insertHtml(detailsHtml(*entry));
    moveCursor(QTextCursor::Start);
}

QString ModulePage::headerHtml(const CatalogEntry &entry, bool pluginAvailable)
{
    const ModuleManifest &m = entry.manifest;
    QString html = QStringLiteral("<h1>%1</h1>").arg(esc(m.title.isEmpty() ? entry.id() : m.title));
    QStringList badges;
    if (entry.beingWritten || entry.interrupted) {
        badges << (entry.beingWritten ? badge(tr("being written"), QStringLiteral("#1565c0"), true)
                                      : badge(tr("interrupted training"), QStringLiteral("#b26a00"), true));
        return html + QStringLiteral("<p>%1</p>").arg(badges.join(QStringLiteral(" ")));
    }
    if (!m.task.isEmpty())
        badges << badge(taskDisplayName(m.task), taskColor(m.task).name(), true);
    if (!entry.isValid())
        badges << badge(tr("invalid"), QString::fromLatin1(kProblemColor), true);
    if (m.isTemplate())
        badges << badge(tr("template"), QStringLiteral("#546e7a"), false);
    if (isDemo(entry))
        badges << badge(tr("demo · read-only"), QStringLiteral("#6a1b9a"), false);
    else if (entry.builtIn)
        badges << badge(tr("built-in"), QStringLiteral("#546e7a"), false);
    if (!pluginAvailable)
        badges << badge(tr("no plugin yet"), QStringLiteral("#b26a00"), false);
    html += QStringLiteral("<p>%1</p>").arg(badges.join(QStringLiteral(" ")));
    if (!m.summary.isEmpty())
        html += QStringLiteral("<p style=\"font-size:large;\">%1</p>").arg(esc(m.summary));
    if (pluginAvailable && entry.isValid() && !m.isTemplate())
        html += QStringLiteral("<p><a href=\"serve:%1\">%2</a></p>")
                    .arg(esc(entry.id()), esc(tr("Serve over HTTP (REST API)...")));
    if (!pluginAvailable && !m.task.isEmpty())
        html += QStringLiteral("<p style=\"color:#b26a00;\">%1</p>")
                    .arg(esc(tr("The %1 plugin is not installed yet: the module is listed, but cannot be trained or "
                                "run until it is.")
                                 .arg(taskDisplayName(m.task))));
    return html;
}

QString ModulePage::unfinishedHtml(const CatalogEntry &entry)
{
    const QString folder = QDir::toNativeSeparators(entry.path);
    if (entry.beingWritten) {
        const QString who = entry.problems.isEmpty() ? QString() : entry.problems.first().message;
        return QStringLiteral("<p>%1</p><p style=\"color:#546e7a;\">%2</p>")
            .arg(esc(tr("A training or an import is writing this module now. It is listed with its results when it "
                        "has finished; nothing needs to be done.")),
                 esc(tr("Folder: %1 — %2").arg(folder, who)));
    }
    return QStringLiteral("<p>%1</p><p>%2</p>")
        .arg(esc(tr("The training that was writing this module stopped before it finished; the checkpoint of its "
                    "last finished epoch is kept in %1.")
                     .arg(QDir::toNativeSeparators(QDir(entry.path).filePath(QStringLiteral("checkpoints"))))),
             esc(tr("Resume it with the same command and --resume (deepwb train ... --resume), or with Resume in "
                    "the Train workspace if it was started there; or delete the folder %1 to drop it.")
                     .arg(folder)));
}

QString ModulePage::problemsHtml(const CatalogEntry &entry)
{
    QString html = QStringLiteral("<table width=\"100%\" cellpadding=\"8\" style=\"border: 1px solid %1; "
                                  "background-color:#ffebee;\"><tr><td>")
                       .arg(QString::fromLatin1(kProblemColor));
    html += QStringLiteral("<p style=\"color:%1; font-weight:bold;\">%2</p><ul>")
                .arg(QString::fromLatin1(kProblemColor),
                     esc(tr("This module cannot be used: %n problem(s) in its manifest.", nullptr,
                            int(entry.problems.size()))));
    for (const ValidationProblem &problem : entry.problems)
        html += QStringLiteral("<li style=\"color:%1;\"><b>%2</b>: %3</li>")
                    .arg(QString::fromLatin1(kProblemColor), esc(problem.field), esc(problem.message));
    html += QStringLiteral("</ul><p>%1</p></td></tr></table>")
                .arg(esc(tr("Fix module.json in %1, then press Refresh.").arg(QDir::toNativeSeparators(entry.path))));
    return html;
}

QString ModulePage::descriptionMarkdown(const CatalogEntry &entry)
{
    QString description = entry.manifest.description;
    const QString firstLine = description.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (firstLine.startsWith(QLatin1String("# ")) &&
        firstLine.mid(2).trimmed().compare(entry.manifest.title.trimmed(), Qt::CaseInsensitive) == 0)
        description = description.section(QLatin1Char('\n'), 1);
    return description;
}

// What a module's labels are: a classifier's classes, a super-resolution network's bands, a
// forecaster's target series.
QString ModulePage::labelsTitle(const QString &task)
{
    if (task == QLatin1String("super-resolution"))
        return tr("Bands (%1)");
    if (task == QLatin1String("time-series"))
        return tr("Forecast targets (%1)");
    if (task == QLatin1String("image-classification"))
        return tr("Classes (%1)");
    return tr("Labels (%1)");
}

QString ModulePage::detailsHtml(const CatalogEntry &entry)
{
    const ModuleManifest &m = entry.manifest;
    const QString none = QStringLiteral("<span style=\"color:#90a4ae;\">—</span>");
    auto text = [&](const QString &value) { return value.isEmpty() ? none : esc(value); };

    QString html = section(tr("About this module"));
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    html += row(tr("Identifier"), text(entry.id()));
    html += row(tr("Task"), m.task.isEmpty() ? none
                                             : esc(taskDisplayName(m.task)) + QStringLiteral(" (") + esc(m.task) +
                                                   QStringLiteral(")"));
    html += row(tr("Architecture"), text(m.architecture));
    html += row(tr("Version"), text(m.version));
    html += row(tr("License"), text(m.license));
    html += row(tr("Authors"), text(m.authors.join(QStringLiteral(", "))));
    html += row(tr("Created"), text(m.dateCreation));
    html += row(tr("Keywords"), text(m.keywords.join(QStringLiteral(", "))));
    if (!m.labels.isEmpty()) {
        QStringList shown = m.labels.mid(0, 20);
        QString labels = esc(shown.join(QStringLiteral(", ")));
        if (m.labels.size() > shown.size())
            labels += esc(tr(" … and %n more", nullptr, int(m.labels.size() - shown.size())));
        html += row(labelsTitle(m.task).arg(m.labels.size()), labels);
    }
    html += row(tr("Weights"), m.isTemplate() ? esc(tr("none yet — this is a template: train it to make a model"))
                                              : esc(m.weights.file) + QStringLiteral(" (") + esc(m.weights.format) +
                                                    QStringLiteral(")"));
    html += row(tr("Made with"), text(m.createdWith));
    const QUrl folder = folderUrl(entry.path);
    html += row(tr("Folder"), folder.isEmpty() ? esc(tr("built into the application"))
                                               : link(folder.toString(), QDir::toNativeSeparators(entry.path)));
    html += QStringLiteral("</table>");

    html += section(tr("Metrics"));
    if (m.metrics.isEmpty())
        html += QStringLiteral("<p style=\"color:#78909c;\">%1</p>")
                    .arg(esc(m.isTemplate() ? tr("No metrics: a template has not been trained yet.")
                                            : tr("No metrics were recorded for this module.")));
    else
        html += metricsHtml(m.metrics);

    QStringList links;
    for (const QString &source : m.sources)
        if (!source.isEmpty())
            links << row(tr("Source"), link(source));
    if (!m.datasetUrl.isEmpty())
        links << row(tr("Dataset"), link(m.datasetUrl));
    if (!m.citeUrl.isEmpty())
        links << row(tr("Cite"), link(m.citeUrl));
    if (!links.isEmpty())
        html += section(tr("Links")) + QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">") +
                links.join(QString()) + QStringLiteral("</table>");

    const QJsonObject start = m.extra.value(QStringLiteral("initialization")).toObject();
    const QJsonObject imported = m.extra.value(QStringLiteral("imported_from")).toObject();
    if (!m.parent.isEmpty() || !m.trainingData.isEmpty() || !start.isEmpty() || !imported.isEmpty()) {
        html += section(tr("Provenance"));
        html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
        if (!m.parent.isEmpty())
            html += row(tr("Re-trained from"), link(QStringLiteral("module:") + m.parent, m.parent));
        const QString kind = start.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("imagenet"))
            html += row(tr("Started from"), tr("ImageNet weights %1 (%2)")
                                                .arg(link(start.value(QStringLiteral("url")).toString(),
                                                          start.value(QStringLiteral("file")).toString()),
                                                     esc(start.value(QStringLiteral("variant")).toString())));
        else if (kind == QLatin1String("file"))
            html += row(tr("Started from"), esc(start.value(QStringLiteral("file")).toString()));
        else if (kind == QLatin1String("random"))
            html += row(tr("Started from"), tr("random weights"));
        if (!start.value(QStringLiteral("sha256")).toString().isEmpty())
            html += row(tr("Start SHA-256"), esc(start.value(QStringLiteral("sha256")).toString()));
        if (!imported.isEmpty())
            html += row(tr("Imported from"), esc(imported.value(QStringLiteral("file")).toString()));
        if (const QString saliency = imported.value(QStringLiteral("saliency")).toString(); !saliency.isEmpty())
            html += row(tr("Heat maps"), esc(saliency));
        for (auto it = m.trainingData.begin(); it != m.trainingData.end(); ++it)
            html += row(tr("Data: %1").arg(it.key()), esc(jsonValueText(it.value())));
        html += QStringLiteral("</table>");
    }
    if (!m.hyperParameters.isEmpty())
        html += section(tr("Hyper-parameters")) + objectTable(m.hyperParameters);
    if (!m.inputs.isEmpty())
        html += section(tr("Inputs")) + objectTable(m.inputs);
    return html;
}

void ModulePage::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() == QLatin1String("module")) {
        Q_EMIT moduleLinkActivated(url.path());
        return;
    }
    if (url.scheme() == QLatin1String("serve")) {
        ServeWindow::showFor(this, url.path());
        return;
    }
    if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https") || url.isLocalFile())
        QDesktopServices::openUrl(url);
}

}  // namespace dw
