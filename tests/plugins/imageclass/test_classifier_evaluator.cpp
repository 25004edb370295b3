// Evaluation of a classifier module on a tiny labelled dataset: the report must agree with
// the same numbers computed here from the module's own predictions of each image.
#include "plugins/imageclass/data/image_dataset.h"
#include "plugins/imageclass/infer/classifier_evaluator.h"
#include "plugins/imageclass/infer/classifier_predictor.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cmath>
#include <map>

using namespace dw;
using namespace dw::imageclass;

namespace {

// The module's label order differs from the dataset's (sorted folder names) on purpose.
const QStringList kModuleLabels{QStringLiteral("cat"), QStringLiteral("ant"), QStringLiteral("bee")};

bool makeModule(const QString &dir)
{
    QDir().mkpath(dir);
    torch::manual_seed(11);
    std::shared_ptr<ClassifierImpl> model = createModel(ModelSpec{"smallcnn", 3, 3, 28});
    if (!model || !saveStateDict(*model, QDir(dir).filePath(QStringLiteral("weights.pt")).toStdString()))
        return false;
    ClassifierModule module;
    module.directory = dir;
    module.manifest.id = QStringLiteral("eval-test");
    module.manifest.title = QStringLiteral("Evaluation test");
    module.architecture = QStringLiteral("smallcnn");
    module.height = module.width = 28;
    module.labels = kModuleLabels;
    return writeClassifierModule(module).ok();
}

bool writeImage(const QString &path, int seed)
{
    cv::Mat image(30, 30, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));  // cv's global RNG: deterministic per process
    cv::rectangle(image, {seed % 20, (3 * seed) % 20}, {seed % 20 + 9, (3 * seed) % 20 + 9},
                  cv::Scalar(255, 40 * seed % 255, 0), -1);
    QDir().mkpath(QFileInfo(path).absolutePath());
    return cv::imwrite(path.toStdString(), image);
}

bool close(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

}  // namespace

class TestClassifierEvaluator : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<LoadedClassifier> m_classifier;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(makeModule(m_dir.filePath(QStringLiteral("module"))));
        int seed = 0;
        for (const QString &name : {QStringLiteral("ant"), QStringLiteral("bee"), QStringLiteral("cat")})
            for (int i = 0; i < 4; ++i)
                QVERIFY(writeImage(m_dir.filePath(QStringLiteral("data/%1/%2.png").arg(name).arg(i)), ++seed));
        // A truncated PNG among the bees.
        QFile good(m_dir.filePath(QStringLiteral("data/bee/0.png")));
        QVERIFY(good.open(QIODevice::ReadOnly));
        QFile cut(m_dir.filePath(QStringLiteral("data/bee/cut.png")));
        QVERIFY(cut.open(QIODevice::WriteOnly) && cut.write(good.readAll().left(200)) == 200);
        cut.close();
        Result<std::shared_ptr<LoadedClassifier>> loaded =
            LoadedClassifier::load(m_dir.filePath(QStringLiteral("module")), QStringLiteral("cpu"));
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().text()));
        m_classifier = *loaded;
    }

    void agreesWithPredictions()
    {
        Result<ImageDataset> dataset = ImageDataset::open(m_dir.filePath(QStringLiteral("data")));
        QVERIFY2(dataset.ok(), qPrintable(dataset ? QString() : dataset.error().text()));
        QCOMPARE(dataset->classes(),
                 (QStringList{QStringLiteral("ant"), QStringLiteral("bee"), QStringLiteral("cat")}));

        const QString csvPath = m_dir.filePath(QStringLiteral("module/predictions.csv"));
        JobContext context;
        EvaluateOptions options;
        options.batchSize = 5;  // batches that do not divide the data
        Result<EvaluationReport> evaluated =
            evaluateClassifier(*m_classifier, dataset->samples(), dataset->classes(), csvPath, context, options);
        QVERIFY2(evaluated.ok(), qPrintable(evaluated ? QString() : evaluated.error().text()));
        QCOMPARE(evaluated->evaluated, qint64(12));
        QCOMPARE(evaluated->skipped, qint64(1));
        QVERIFY(evaluated->skippedImages.front().path.endsWith(QStringLiteral("cut.png")));
        QCOMPARE(evaluated->predictionsPath, QFileInfo(csvPath).absoluteFilePath());

        // The same numbers from scratch: each image predicted alone, truth by folder name.
        const int n = 3;
        std::vector<std::vector<qint64>> confusion(n, std::vector<qint64>(n, 0));
        std::map<QString, QString> predictedOf;
        for (const ImageSample &sample : dataset->samples()) {
            if (sample.path.endsWith(QStringLiteral("cut.png")))
                continue;
            PredictOptions predict;
            predict.top = 1;
            Result<ClassificationResult> result = predictImages(*m_classifier, {sample.path}, predict, context);
            QVERIFY(result.ok());
            const QString truth = dataset->classes().at(sample.label);
            const QString predicted = result->items[0].top[0].label;
            predictedOf[QFileInfo(sample.path).fileName() + truth] = predicted;
            ++confusion[size_t(kModuleLabels.indexOf(truth))][size_t(kModuleLabels.indexOf(predicted))];
        }
        const ClassificationReport &r = evaluated->report;
        QCOMPARE(r.classes, kModuleLabels);
        QCOMPARE(r.confusion, confusion);
        qint64 correct = 0;
        for (int c = 0; c < n; ++c)
            correct += confusion[size_t(c)][size_t(c)];
        QVERIFY(close(r.top1, correct / 12.0));
        QCOMPARE(r.top5, 1.0);  // 3 classes
        double weightedRecall = 0;
        for (int c = 0; c < n; ++c) {
            qint64 support = 0, predicted = 0;
            for (int k = 0; k < n; ++k) {
                support += confusion[size_t(c)][size_t(k)];
                predicted += confusion[size_t(k)][size_t(c)];
            }
            const double tp = double(confusion[size_t(c)][size_t(c)]);
            QCOMPARE(r.perClass[size_t(c)].support, support);
            QVERIFY(close(r.perClass[size_t(c)].precision, predicted ? tp / predicted : 0.0));
            QVERIFY(close(r.perClass[size_t(c)].recall, support ? tp / support : 0.0));
            weightedRecall += support ? tp : 0.0;
        }
        QVERIFY(close(r.weighted.recall, weightedRecall / 12.0));  // weighted recall is accuracy

        // The predictions file: a header, one row per evaluated image, rows that agree.
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 13);
        QCOMPARE(lines[0], QStringLiteral("file,truth,prediction,p_cat,p_ant,p_bee"));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QStringList f = lines[i].split(QLatin1Char(','));
            QCOMPARE(f.size(), 6);
            QVERIFY(QFileInfo(f[0]).fileName().endsWith(QStringLiteral(".png")));
            QVERIFY2(f[0].startsWith(f[1] + QLatin1Char('/')),
                     qPrintable(lines[i]));  // relative path under its class folder
            QCOMPARE(f[2], predictedOf[QFileInfo(f[0]).fileName() + f[1]]);
            const double sum = f[3].toDouble() + f[4].toDouble() + f[5].toDouble();
            QVERIFY(std::abs(sum - 1.0) < 1e-4);
            const int best = f[3].toDouble() >= f[4].toDouble() && f[3].toDouble() >= f[5].toDouble() ? 0
                             : f[4].toDouble() >= f[5].toDouble()                                     ? 1
                                                                                                      : 2;
            QCOMPARE(f[2], kModuleLabels[best]);
        }

        const QJsonObject json = evaluated->toJson();
        QCOMPARE(json.value(QStringLiteral("evaluated")).toInteger(), 12);
        QCOMPARE(json.value(QStringLiteral("skipped")).toInteger(), 1);
        QVERIFY(json.contains(QStringLiteral("confusion_matrix")));
        QCOMPARE(json.value(QStringLiteral("per_class")).toArray().size(), 3);
    }

    void unknownClassIsAnError()
    {
        std::vector<ImageSample> samples{
            {m_dir.filePath(QStringLiteral("data/ant/0.png")), QStringLiteral("ant/0.png"), 1, 0, Subset::Test, {}}};
        JobContext context;
        Result<EvaluationReport> evaluated = evaluateClassifier(
            *m_classifier, samples, {QStringLiteral("ant"), QStringLiteral("dog")}, QString(), context);
        QVERIFY(!evaluated.ok());
        QVERIFY2(evaluated.error().text().contains(QStringLiteral("dog")), qPrintable(evaluated.error().text()));
        QVERIFY2(evaluated.error().text().contains(QStringLiteral("not trained on")),
                 qPrintable(evaluated.error().text()));
        // A class of the dataset that no sample uses does not matter.
        samples[0].label = 0;
        QVERIFY(evaluateClassifier(*m_classifier, samples, {QStringLiteral("ant"), QStringLiteral("dog")}, QString(),
                                   context)
                    .ok());
    }

    void nothingToEvaluate()
    {
        JobContext context;
        QVERIFY(!evaluateClassifier(*m_classifier, {}, kModuleLabels, QString(), context).ok());
        std::vector<ImageSample> unreadable{{m_dir.filePath(QStringLiteral("data/bee/cut.png")),
                                             QStringLiteral("bee/cut.png"),
                                             2,
                                             0,
                                             Subset::Test,
                                             {}}};
        const QString csvPath = m_dir.filePath(QStringLiteral("none.csv"));
        Result<EvaluationReport> evaluated =
            evaluateClassifier(*m_classifier, unreadable, kModuleLabels, csvPath, context);
        QVERIFY(!evaluated.ok());
        QVERIFY2(evaluated.error().text().contains(QStringLiteral("cut.png")), qPrintable(evaluated.error().text()));
        QVERIFY(!QFile::exists(csvPath));  // nothing half-written
    }

    void cancelled()
    {
        Result<ImageDataset> dataset = ImageDataset::open(m_dir.filePath(QStringLiteral("data")));
        QVERIFY(dataset.ok());
        std::atomic_bool cancel{true};
        JobContext context(QStringLiteral("job"), &cancel, {});
        Result<EvaluationReport> evaluated =
            evaluateClassifier(*m_classifier, dataset->samples(), dataset->classes(), QString(), context);
        QVERIFY(!evaluated.ok());
        QVERIFY(evaluated.error().text().contains(QStringLiteral("cancelled")));
    }
};

QTEST_GUILESS_MAIN(TestClassifierEvaluator)
#include "test_classifier_evaluator.moc"
