#pragma once
// Accuracy, per-class precision/recall/F1, their macro and weighted averages and the
// confusion matrix of a classifier, accumulated one sample at a time so that evaluation can
// stream over a test set. Plain C++/Qt: the CLI and the GUI read reports without LibTorch.
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw {

struct ClassScores {
    QString name;
    double precision = 0, recall = 0, f1 = 0;  // 0, never NaN, where the ratio is 0/0
    qint64 support = 0;                        // samples of this class in the truth
};

struct AveragedScores {
    double precision = 0, recall = 0, f1 = 0;
};

struct ClassificationReport {
    QStringList classes;
    qint64 samples = 0;
    double top1 = 0;  // fraction of samples whose top class is the truth
    double top5 = 0;  // fraction whose truth is among the topK() highest
    int topK = 5;     // min(5, number of classes): with 3 classes, "top-5" is top-3
    std::vector<ClassScores> perClass;
    // Macro: the plain mean over the classes that occur in the truth or the predictions
    // (scikit-learn's default set of labels), so that a class absent from a small test set
    // does not pull the mean down. Weighted: the mean weighted by support.
    AveragedScores macro, weighted;
    std::vector<std::vector<qint64>> confusion;  // [truth][prediction] counts

    // {"samples", "top1", "top5", "top_k", "classes", "per_class": [{"class", "precision",
    // "recall", "f1", "support"}...], "macro": {...}, "weighted": {...}, "confusion_matrix": [[...]]}
    QJsonObject toJson() const;
};

class ClassificationMetrics {
public:
    explicit ClassificationMetrics(QStringList classes);

    // One sample: the index of its true class and the model's probabilities (or any scores:
    // only their order matters), one per class. Ties go to the lower class index, as
    // argmax does. False (and nothing counted) for a truth out of range or a score vector
    // of the wrong length.
    bool add(int truth, const std::vector<float> &probabilities);
    // One sample known only by its predicted class (no top-5 information: counts as top-5
    // correct exactly when top-1 is correct).
    bool addPrediction(int truth, int prediction);

    const QStringList &classes() const { return m_classes; }
    qint64 count() const { return m_samples; }
    ClassificationReport report() const;

private:
    QStringList m_classes;
    std::vector<std::vector<qint64>> m_confusion;
    qint64 m_samples = 0;
    qint64 m_topKCorrect = 0;
};

}  // namespace dw
