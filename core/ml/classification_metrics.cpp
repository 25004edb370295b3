#include "core/ml/classification_metrics.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>

namespace dw {
namespace {

double ratio(double numerator, double denominator)
{
    return denominator > 0 ? numerator / denominator : 0.0;
}

QJsonObject scoresJson(double precision, double recall, double f1)
{
    return QJsonObject{
        {QStringLiteral("precision"), precision}, {QStringLiteral("recall"), recall}, {QStringLiteral("f1"), f1}};
}

}  // namespace

ClassificationMetrics::ClassificationMetrics(QStringList classes)
    : m_classes(std::move(classes)),
      m_confusion(static_cast<size_t>(m_classes.size()), std::vector<qint64>(static_cast<size_t>(m_classes.size()), 0))
{}

bool ClassificationMetrics::add(int truth, const std::vector<float> &probabilities)
{
    const int n = static_cast<int>(m_classes.size());
    if (truth < 0 || truth >= n || static_cast<int>(probabilities.size()) != n)
        return false;
    int prediction = 0;
    for (int c = 1; c < n; ++c)
        if (probabilities[static_cast<size_t>(c)] > probabilities[static_cast<size_t>(prediction)])
            prediction = c;
    // The truth's rank in a stable descending sort: classes scored higher, and equal ones
    // with a lower index, come first (consistent with the argmax above).
    const float p = probabilities[static_cast<size_t>(truth)];
    int rank = 0;
    for (int c = 0; c < n; ++c) {
        const float q = probabilities[static_cast<size_t>(c)];
        if (q > p || (q == p && c < truth))
            ++rank;
    }
    ++m_confusion[static_cast<size_t>(truth)][static_cast<size_t>(prediction)];
    ++m_samples;
    if (rank < std::min(5, n))
        ++m_topKCorrect;
    return true;
}

bool ClassificationMetrics::addPrediction(int truth, int prediction)
{
    const int n = static_cast<int>(m_classes.size());
    if (truth < 0 || truth >= n || prediction < 0 || prediction >= n)
        return false;
    ++m_confusion[static_cast<size_t>(truth)][static_cast<size_t>(prediction)];
    ++m_samples;
    if (truth == prediction)
        ++m_topKCorrect;
    return true;
}

ClassificationReport ClassificationMetrics::report() const
{
    const size_t n = static_cast<size_t>(m_classes.size());
    ClassificationReport r;
    r.classes = m_classes;
    r.samples = m_samples;
    r.topK = std::min(5, static_cast<int>(n));
    r.confusion = m_confusion;

    std::vector<qint64> predicted(n, 0);
    qint64 correct = 0;
    for (size_t t = 0; t < n; ++t) {
        correct += m_confusion[t][t];
        for (size_t p = 0; p < n; ++p)
            predicted[p] += m_confusion[t][p];
    }
    r.top1 = ratio(static_cast<double>(correct), static_cast<double>(m_samples));
    r.top5 = ratio(static_cast<double>(m_topKCorrect), static_cast<double>(m_samples));

    int present = 0;
    for (size_t c = 0; c < n; ++c) {
        ClassScores s;
        s.name = m_classes.at(static_cast<qsizetype>(c));
        const double tp = static_cast<double>(m_confusion[c][c]);
        for (size_t p = 0; p < n; ++p)
            s.support += m_confusion[c][p];
        s.precision = ratio(tp, static_cast<double>(predicted[c]));
        s.recall = ratio(tp, static_cast<double>(s.support));
        s.f1 = ratio(2 * s.precision * s.recall, s.precision + s.recall);
        if (s.support > 0 || predicted[c] > 0) {
            ++present;
            r.macro.precision += s.precision;
            r.macro.recall += s.recall;
            r.macro.f1 += s.f1;
        }
        const double w = static_cast<double>(s.support);
        r.weighted.precision += w * s.precision;
        r.weighted.recall += w * s.recall;
        r.weighted.f1 += w * s.f1;
        r.perClass.push_back(std::move(s));
    }
    r.macro = {ratio(r.macro.precision, present), ratio(r.macro.recall, present), ratio(r.macro.f1, present)};
    const double total = static_cast<double>(m_samples);
    r.weighted = {ratio(r.weighted.precision, total), ratio(r.weighted.recall, total), ratio(r.weighted.f1, total)};
    return r;
}

QJsonObject ClassificationReport::toJson() const
{
    QJsonArray perClassJson;
    for (const ClassScores &s : perClass) {
        QJsonObject o = scoresJson(s.precision, s.recall, s.f1);
        o.insert(QStringLiteral("class"), s.name);
        o.insert(QStringLiteral("support"), s.support);
        perClassJson.append(o);
    }
    QJsonArray matrix;
    for (const std::vector<qint64> &row : confusion) {
        QJsonArray r;
        for (qint64 v : row)
            r.append(v);
        matrix.append(r);
    }
    return QJsonObject{{QStringLiteral("samples"), samples},
                       {QStringLiteral("top1"), top1},
                       {QStringLiteral("top5"), top5},
                       {QStringLiteral("top_k"), topK},
                       {QStringLiteral("classes"), QJsonArray::fromStringList(classes)},
                       {QStringLiteral("per_class"), perClassJson},
                       {QStringLiteral("macro"), scoresJson(macro.precision, macro.recall, macro.f1)},
                       {QStringLiteral("weighted"), scoresJson(weighted.precision, weighted.recall, weighted.f1)},
                       {QStringLiteral("confusion_matrix"), matrix}};
}

}  // namespace dw
