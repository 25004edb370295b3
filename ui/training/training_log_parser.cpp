#include "ui/training/training_log_parser.h"

#include <QRegularExpression>

namespace dw {

namespace {

// Numbers as QString::number writes them, NaN and infinities included.
#define DW_NUMBER "([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|nan|inf))"

double toNumber(const QString &text)
{
    if (text == QLatin1String("nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (text.endsWith(QLatin1String("inf")))
        return text.startsWith(QLatin1Char('-')) ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return text.toDouble();
}

}  // namespace

std::optional<EpochPoint> TrainingLogParser::parseEpochLine(const QString &line)
{
    // Accuracies only where the task has them (a forecaster's line: "train loss …, val loss …; lr …").
    static const QRegularExpression pattern(QStringLiteral(
        "^epoch (\\d+)/(\\d+): train loss " DW_NUMBER "(?:, accuracy " DW_NUMBER " %)?[;,] val loss " DW_NUMBER
        "(?:, accuracy " DW_NUMBER " %)?( \\(best\\))?; lr " DW_NUMBER));
    const QRegularExpressionMatch m = pattern.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    EpochPoint p;
    p.epoch = m.captured(1).toInt();
    p.epochs = m.captured(2).toInt();
    p.trainLoss = toNumber(m.captured(3));
    const auto accuracy = [&m](int group) {
        return m.hasCaptured(group) ? toNumber(m.captured(group)) / 100.0 : std::numeric_limits<double>::quiet_NaN();
    };
    p.trainAccuracy = accuracy(4);
    p.valLoss = toNumber(m.captured(5));
    p.valAccuracy = accuracy(6);
    p.best = !m.captured(7).isEmpty();
    p.lr = toNumber(m.captured(8));
    return p;
}

std::optional<BatchPoint> TrainingLogParser::parseProgress(const QString &message)
{
    static const QRegularExpression pattern(QStringLiteral("^epoch (\\d+)/(\\d+), batch (\\d+)/(\\d+), loss " DW_NUMBER));
    const QRegularExpressionMatch m = pattern.match(message);
    if (!m.hasMatch())
        return std::nullopt;
    BatchPoint p;
    p.epoch = m.captured(1).toInt();
    p.epochs = m.captured(2).toInt();
    p.batch = m.captured(3).toInt();
    p.batches = m.captured(4).toInt();
    p.loss = toNumber(m.captured(5));
    return p;
}

}  // namespace dw
