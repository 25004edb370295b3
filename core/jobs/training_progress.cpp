#include "core/jobs/training_progress.h"

#include "core/util/duration_text.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dw {

using namespace Qt::StringLiterals;

QString TrainingMetric::label() const
{
    return QString(name)
        .replace(QLatin1Char('_'), QLatin1Char(' '))
        .replace(QLatin1String("psnr"), QLatin1String("PSNR"));
}

// Accuracies, top-k, F1, precision and recall are fractions (shown as per cent).
bool TrainingMetric::isFraction() const
{
    for (const char *score : {"accuracy", "top1", "top5", "f1", "precision", "recall"})
        if (name.endsWith(QLatin1String(score)))
            return true;
    return false;
}

QString TrainingMetric::valueText() const
{
    if (isFraction())
        return u"%1 %"_s.arg(100.0 * value, 0, 'f', 2);
    if (name.endsWith(QLatin1String("psnr")))
        return u"%1 dB"_s.arg(value, 0, 'f', 2);
    return QString::number(value, 'f', std::abs(value) >= 0.01 || value == 0.0 ? 4 : 6);
}

QJsonObject TrainingMetric::toJson() const
{
    return {{u"name"_s, name}, {u"value"_s, value}, {u"higher_is_better"_s, higherIsBetter}};
}

TrainingMetric TrainingMetric::fromJson(const QJsonObject &json)
{
    return {json.value(u"name"_s).toString(), json.value(u"value"_s).toDouble(),
            json.value(u"higher_is_better"_s).toBool()};
}

double TrainingProgress::position() const
{
    if (isEpoch())
        return epoch;
    return epoch - 1 + (steps > 0 ? double(step) / double(steps) : 0.0);
}

double TrainingProgress::fraction() const
{
    return epochs > 0 ? std::clamp(position() / double(epochs), 0.0, 1.0) : 0.0;
}

const TrainingMetric *TrainingProgress::find(const QString &name) const
{
    const auto it =
        std::find_if(metrics.begin(), metrics.end(), [&](const TrainingMetric &m) { return m.name == name; });
    return it == metrics.end() ? nullptr : &*it;
}

std::optional<double> TrainingProgress::metric(const QString &name) const
{
    if (const TrainingMetric *m = find(name))
        return m->value;
    return std::nullopt;
}

void TrainingProgress::setMetric(const QString &name, double value, bool higherIsBetter)
{
    for (TrainingMetric &m : metrics) {
        if (m.name == name) {
            m.value = value;
            m.higherIsBetter = higherIsBetter;
            return;
        }
    }
    metrics.append({name, value, higherIsBetter});
}

QString TrainingProgress::describe() const
{
    const QString rate =
        throughput > 0 ? u"%1 %2/s"_s.arg(throughput, 0, 'f', 0).arg(unit.isEmpty() ? u"samples"_s : unit) : QString();
    if (isStep()) {
        QStringList parts{u"epoch %1/%2, batch %3/%4"_s.arg(epoch).arg(epochs).arg(step).arg(steps)};
        for (const TrainingMetric &m : metrics)
            parts << u"%1 %2"_s.arg(m.name == u"train_loss"_s ? u"loss"_s : m.label(), m.valueText());
        if (!rate.isEmpty())
            parts << rate;
        if (etaSeconds >= 0)
            parts << u"eta %1"_s.arg(durationText(etaSeconds));
        return parts.join(u", "_s);
    }
    QStringList parts;
    for (const TrainingMetric &m : metrics)
        parts << u"%1 %2%3"_s.arg(m.label(), m.valueText(), best && m.name == monitored ? u" (best)"_s : QString());
    QString line = u"epoch %1/%2: %3"_s.arg(epoch).arg(epochs).arg(parts.join(u", "_s));
    if (learningRate > 0)
        line += u"; lr %1"_s.arg(learningRate, 0, 'g', 3);
    if (!note.isEmpty())
        line += u"; "_s + note;
    line += u"; %1 s"_s.arg(seconds, 0, 'f', 1);
    if (!rate.isEmpty())
        line += u" (%1)"_s.arg(rate);
    return line;
}

QJsonObject TrainingProgress::toJson() const
{
    QJsonArray list;
    for (const TrainingMetric &m : metrics)
        list.append(m.toJson());
    QJsonObject json{{u"kind"_s, isStep() ? u"step"_s : u"epoch"_s},
                     {u"epoch"_s, epoch},
                     {u"epochs"_s, epochs},
                     {u"metrics"_s, list},
                     {u"lr"_s, learningRate},
                     {u"throughput"_s, throughput},
                     {u"unit"_s, unit},
                     {u"eta_seconds"_s, etaSeconds},
                     {u"monitored"_s, monitored},
                     {u"best_epoch"_s, bestEpoch}};
    if (isStep()) {
        json.insert(u"step"_s, step);
        json.insert(u"steps"_s, steps);
    } else {
        json.insert(u"seconds"_s, seconds);
        json.insert(u"best"_s, best);
        if (!note.isEmpty())
            json.insert(u"note"_s, note);
    }
    return json;
}

TrainingProgress TrainingProgress::fromJson(const QJsonObject &json)
{
    TrainingProgress p;
    p.kind = json.value(u"kind"_s).toString() == u"epoch"_s ? Kind::Epoch : Kind::Step;
    p.epoch = json.value(u"epoch"_s).toInt();
    p.epochs = json.value(u"epochs"_s).toInt();
    p.step = json.value(u"step"_s).toInteger();
    p.steps = json.value(u"steps"_s).toInteger();
    for (const QJsonValue &m : json.value(u"metrics"_s).toArray())
        p.metrics.append(TrainingMetric::fromJson(m.toObject()));
    p.learningRate = json.value(u"lr"_s).toDouble();
    p.throughput = json.value(u"throughput"_s).toDouble();
    p.unit = json.value(u"unit"_s).toString();
    p.etaSeconds = json.value(u"eta_seconds"_s).toDouble(-1.0);
    p.seconds = json.value(u"seconds"_s).toDouble();
    p.best = json.value(u"best"_s).toBool();
    p.bestEpoch = json.value(u"best_epoch"_s).toInt();
    p.monitored = json.value(u"monitored"_s).toString();
    p.note = json.value(u"note"_s).toString();
    return p;
}

}  // namespace dw
