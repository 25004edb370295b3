#include "cli_output.h"

#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>

namespace dw::cli {

namespace {
QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}
QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}
}  // namespace

void Output::line(const QString &text) const
{
    if (!m_json)
        out() << text << '\n' << Qt::flush;
}

void Output::table(const QStringList &headers, const QList<QStringList> &rows) const
{
    if (m_json)
        return;
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QStringList &row : rows)
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    auto print = [&](const QStringList &cells) {
        QString text;
        for (qsizetype c = 0; c < cells.size(); ++c) {
            const bool last = c + 1 == cells.size();
            text += last ? cells[c] : cells[c].leftJustified(widths.value(c) + 2);
        }
        out() << text << '\n';
    };
    print(headers);
    for (const QStringList &row : rows)
        print(row);
    out() << Qt::flush;
}

void Output::document(const QJsonObject &object) const
{
    if (m_json)
        out() << QJsonDocument(object).toJson(QJsonDocument::Indented) << Qt::flush;
}

void Output::document(const QJsonArray &array) const
{
    if (m_json)
        out() << QJsonDocument(array).toJson(QJsonDocument::Indented) << Qt::flush;
}

void Output::error(const QString &message)
{
    err() << "deepwb: error: " << message << '\n' << Qt::flush;
}

void Output::warning(const QString &message)
{
    err() << "deepwb: warning: " << message << '\n' << Qt::flush;
}

}  // namespace dw::cli
