#pragma once
// How deepwb talks: results on stdout (text or, with --json, one JSON document), errors on
// stderr with the reason, and exit codes 0 (success), 1 (failure), 2 (usage error).
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dw::cli {

enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

class Output {
public:
    explicit Output(bool json = false) : m_json(json) {}
    bool json() const { return m_json; }

    void line(const QString &text = {}) const;  // text mode only
    void table(const QStringList &headers, const QList<QStringList> &rows) const;
    void document(const QJsonObject &object) const;  // JSON mode: the whole result
    void document(const QJsonArray &array) const;
    static void error(const QString &message);  // "deepwb: error: ..." on stderr
    static void warning(const QString &message);

private:
    bool m_json = false;
};

}  // namespace dw::cli
