#pragma once
// One QCommandLineParser per subcommand, with the options every command takes:
// --json, --catalog DIR and --help.
#include "cli_output.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace dw::cli {

class CommandParser {
public:
    // command: "catalog list"; positionalSyntax: "ID FILE" (for the usage line)
    CommandParser(QString command, const QString &description, bool takesCatalog = true);

    QCommandLineParser &parser() { return m_parser; }
    void addPositional(const QString &name, const QString &description, const QString &syntax = {});
    void addOption(const QCommandLineOption &option) { m_parser.addOption(option); }

    // Parses "deepwb <command> args...". Returns the exit code to stop with (0 after --help,
    // 2 on a usage error), or nothing when the command should run. expected: the number of
    // positional arguments required (at least min, at most max; max -1: unlimited).
    std::optional<int> parse(const QStringList &args, int minPositional, int maxPositional);

    bool json() const { return m_parser.isSet(QStringLiteral("json")); }
    QString catalogDirectory() const;  // --catalog, else empty (the default applies)
    QStringList positional() const { return m_parser.positionalArguments(); }
    QString value(const QString &option) const { return m_parser.value(option); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    Output output() const { return Output(json()); }

private:
    QString m_command;
    QCommandLineParser m_parser;
    bool m_takesCatalog = true;
};

}  // namespace dw::cli
