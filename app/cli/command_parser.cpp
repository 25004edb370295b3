#include "command_parser.h"

#include <QTextStream>

namespace dw::cli {

CommandParser::CommandParser(QString command, const QString &description, bool takesCatalog)
    : m_command(std::move(command)), m_takesCatalog(takesCatalog)
{
    m_parser.setApplicationDescription(description);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
    m_parser.addOption({QStringLiteral("json"), QStringLiteral("Print machine-readable JSON on stdout.")});
    if (m_takesCatalog)
        m_parser.addOption({QStringLiteral("catalog"),
                            QStringLiteral("Use DIR as the user's module catalog (default: $DEEPWB_CATALOG, "
                                           "else the application data folder)."),
                            QStringLiteral("DIR")});
}

void CommandParser::addPositional(const QString &name, const QString &description, const QString &syntax)
{
    m_parser.addPositionalArgument(name, description, syntax);
}

std::optional<int> CommandParser::parse(const QStringList &args, int minPositional, int maxPositional)
{
    // QCommandLineParser expects the program name first; "deepwb catalog list" reads well in --help.
    QStringList full{QStringLiteral("deepwb ") + m_command};
    full += args;
    if (!m_parser.parse(full)) {
        Output::error(m_parser.errorText() + QStringLiteral(" (see 'deepwb %1 --help')").arg(m_command));
        return ExitUsage;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << m_parser.helpText();
        return ExitOk;
    }
    const qsizetype count = m_parser.positionalArguments().size();
    if (count < minPositional || (maxPositional >= 0 && count > maxPositional)) {
        const QString expected = minPositional == maxPositional ? QString::number(minPositional)
                                 : maxPositional < 0            ? QStringLiteral("at least %1").arg(minPositional)
                                                     : QStringLiteral("%1 to %2").arg(minPositional).arg(maxPositional);
        Output::error(QStringLiteral("'deepwb %1' takes %2 argument(s), got %3 (see 'deepwb %1 --help')")
                          .arg(m_command, expected)
                          .arg(count));
        return ExitUsage;
    }
    return std::nullopt;
}

QString CommandParser::catalogDirectory() const
{
    return m_takesCatalog ? m_parser.value(QStringLiteral("catalog")) : QString();
}

}  // namespace dw::cli
