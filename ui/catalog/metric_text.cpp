#include "ui/catalog/metric_text.h"

#include "ui/catalog/json_text.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>

namespace dw {

namespace {

QString tr(const char *text, const char *comment = nullptr, int n = -1)
{
    return QCoreApplication::translate("dw::MetricText", text, comment, n);
}

// Keys whose words do not say it well on their own.
const QHash<QString, QString> &wholeNames()
{
    static const QHash<QString, QString> names{
        {QStringLiteral("best_epoch"), tr("Best epoch")},
        {QStringLiteral("epochs_run"), tr("Epochs run")},
        {QStringLiteral("scored_on"), tr("Scored on")},
        {QStringLiteral("naive_mae"), tr("MAE of the naive forecast")},
        {QStringLiteral("seasonal_naive_mae"), tr("MAE of the seasonal naive forecast")},
        {QStringLiteral("bicubic_val_l1"), tr("Validation L1 of bicubic upsampling")},
        {QStringLiteral("bicubic_psnr"), tr("PSNR of bicubic upsampling")},
        {QStringLiteral("psnr_gain_db"), tr("PSNR gain over bicubic")},
        {QStringLiteral("psnr_by_epoch"), tr("Validation PSNR by epoch")},
        {QStringLiteral("targets"), tr("Per target")},
        {QStringLiteral("per_class"), tr("Per class")},
    };
    return names;
}

const QHash<QString, QString> &wordNames()
{
    static const QHash<QString, QString> words{
        {QStringLiteral("val"), tr("validation")},
        {QStringLiteral("train"), tr("training")},
        {QStringLiteral("top1"), tr("top-1")},
        {QStringLiteral("top5"), tr("top-5")},
        {QStringLiteral("acc"), tr("accuracy")},
        {QStringLiteral("mae"), QStringLiteral("MAE")},
        {QStringLiteral("rmse"), QStringLiteral("RMSE")},
        {QStringLiteral("mape"), QStringLiteral("MAPE")},
        {QStringLiteral("smape"), QStringLiteral("sMAPE")},
        {QStringLiteral("mase"), QStringLiteral("MASE")},
        {QStringLiteral("psnr"), QStringLiteral("PSNR")},
        {QStringLiteral("ssim"), QStringLiteral("SSIM")},
        {QStringLiteral("sre"), QStringLiteral("SRE")},
        {QStringLiteral("l1"), QStringLiteral("L1")},
        {QStringLiteral("f1"), QStringLiteral("F1")},
        {QStringLiteral("db"), QString()},
        {QStringLiteral("naive"), tr("naive")},
    };
    return words;
}

enum class Unit { None, Percent, Decibel, PerSecond };

Unit unitOf(const QString &key)
{
    const QStringList words = key.toLower().split(QLatin1Char('_'), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        if (word == QLatin1String("psnr") || word == QLatin1String("sre") || word == QLatin1String("db"))
            return Unit::Decibel;
        if (word == QLatin1String("top1") || word == QLatin1String("top5") || word == QLatin1String("accuracy") ||
            word == QLatin1String("acc") || word == QLatin1String("f1") || word == QLatin1String("precision") ||
            word == QLatin1String("recall"))
            return Unit::Percent;
    }
    if (key.endsWith(QLatin1String("_per_second")))
        return Unit::PerSecond;
    return Unit::None;
}

QString number(double value, Unit unit)
{
    switch (unit) {
    case Unit::Percent:
        return QStringLiteral("%1 %").arg(value * 100.0, 0, 'f', 1);
    case Unit::Decibel:
        return QStringLiteral("%1 dB").arg(value, 0, 'f', 2);
    case Unit::PerSecond:
        return QStringLiteral("%1/s").arg(value, 0, 'f', 1);
    case Unit::None:
        break;
    }
    return jsonValueText(value);
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString table(const QJsonObject &metrics, int depth)
{
    QString html = QStringLiteral("<table border=\"%1\" cellspacing=\"0\" cellpadding=\"4\" "
                                  "style=\"border-color:#cfd8dc;\">")
                       .arg(depth == 0 ? 1 : 0);
    if (depth == 0)
        html += QStringLiteral("<tr><th align=\"left\">%1</th><th align=\"left\">%2</th></tr>")
                    .arg(esc(tr("Metric")), esc(tr("Value")));
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QString value = it.value().isObject() && depth < 2 ? table(it.value().toObject(), depth + 1)
                                                                 : esc(metricValue(it.key(), it.value()));
        // Inside "targets" or "per_class" the keys are the data's own names (a series, a class).
        const QString name = depth > 0 && it.value().isObject() ? it.key() : metricName(it.key());
        html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(esc(name), value);
    }
    return html + QStringLiteral("</table>");
}

}  // namespace

QString metricName(const QString &key)
{
    if (const auto it = wholeNames().find(key); it != wholeNames().end())
        return *it;
    QStringList words;
    for (const QString &word : key.split(QLatin1Char('_'), Qt::SkipEmptyParts)) {
        const auto known = wordNames().find(word.toLower());
        const QString text = known == wordNames().end() ? word : *known;
        if (!text.isEmpty())
            words << text;
    }
    // "test_top1" is an accuracy, as "top1_accuracy" says.
    if ((words.contains(tr("top-1")) || words.contains(tr("top-5"))) && !words.contains(tr("accuracy")))
        words << tr("accuracy");
    QString name = words.join(QLatin1Char(' '));
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name.isEmpty() ? key : name;
}

QString metricValue(const QString &key, const QJsonValue &value)
{
    const Unit unit = unitOf(key);
    if (value.isDouble())
        return number(value.toDouble(), unit);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        const bool numbers = !array.isEmpty() &&
                             std::all_of(array.begin(), array.end(), [](const QJsonValue &v) { return v.isDouble(); });
        if (numbers) {
            double low = array.first().toDouble(), high = low;
            for (const QJsonValue &v : array) {
                low = std::min(low, v.toDouble());
                high = std::max(high, v.toDouble());
            }
            return tr("%n value(s), %1 to %2; last %3", nullptr, int(array.size()))
                .arg(number(low, unit), number(high, unit), number(array.last().toDouble(), unit));
        }
    }
    return jsonValueText(value);
}

QString metricsHtml(const QJsonObject &metrics)
{
    return table(metrics, 0);
}

}  // namespace dw
