// Prediction with a trained (here: freshly initialised, seeded) classifier module: files,
// folders, unreadable images, top-k, test-time augmentation, CSV, Grad-CAM, bad weights.
#include "core/ml/device_service.h"
#include "plugins/imageclass/infer/classifier_predictor.h"
#include "plugins/imageclass/infer/grad_cam.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/infer/tta_views.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cmath>

using namespace dw;
using namespace dw::imageclass;

namespace {

const QStringList kLabels{QStringLiteral("ant"), QStringLiteral("bee"), QStringLiteral("cat")};

// A module of a seeded, untrained network: what prediction does with it is deterministic.
bool makeModule(const QString &dir, const QString &architecture, const QStringList &labels, int weightClasses = 3)
{
    QDir().mkpath(dir);
    torch::manual_seed(7);
    std::shared_ptr<ClassifierImpl> model = createModel(ModelSpec{"smallcnn", 3, weightClasses, 32});
    if (!model || !saveStateDict(*model, QDir(dir).filePath(QStringLiteral("weights.pt")).toStdString()))
        return false;
    ClassifierModule module;
    module.directory = dir;
    module.manifest.id = QStringLiteral("test-classifier");
    module.manifest.title = QStringLiteral("Test classifier");
    module.architecture = architecture;
    module.height = module.width = 32;
    module.mean = {0.5, 0.5, 0.5};
    module.std = {0.25, 0.25, 0.25};
    module.labels = labels;
    return writeClassifierModule(module).ok();
}

// Stripes and a blob whose position depends on seed: images the network tells apart.
bool writeImage(const QString &path, int seed, int width = 40, int height = 36)
{
    cv::Mat image(height, width, CV_8UC3, cv::Scalar(30 * seed % 255, 90, 200 - 20 * seed));
    for (int y = 0; y < height; y += 4 + seed)
        cv::line(image, {0, y}, {width - 1, y}, cv::Scalar(250, 250 - 10 * seed, 10), 1);
    cv::circle(image, {(7 * seed) % width, height / 2}, 6, cv::Scalar(0, 255, 0), -1);
    QDir().mkpath(QFileInfo(path).absolutePath());
    return cv::imwrite(path.toStdString(), image);
}

}  // namespace

class TestClassifierPredictor : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<LoadedClassifier> m_classifier;
    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    ClassificationResult predict(const QStringList &inputs, const PredictOptions &options,
                                 PredictionSummary *summary = nullptr)
    {
        JobContext context;
        Result<ClassificationResult> result = predictImages(*m_classifier, inputs, options, context, summary);
        if (!result)
            qWarning("%s", qPrintable(result.error().text()));
        return result ? *result : ClassificationResult{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // To look at the heat maps: DW_KEEP_TEST_FILES=1 keeps the folder (its path is printed).
        if (qEnvironmentVariableIsSet("DW_KEEP_TEST_FILES")) {
            m_dir.setAutoRemove(false);
            qInfo("test files in %s", qPrintable(m_dir.path()));
        }
        QVERIFY(makeModule(path("module"), QStringLiteral("smallcnn"), kLabels));
        QVERIFY(writeImage(path("images/a.png"), 1));
        QVERIFY(writeImage(path("images/b.jpg"), 2));
        QVERIFY(writeImage(path("images/sub/a.png"), 3));
        QFile notes(path("images/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not an image") > 0);
        notes.close();
        // A truncated JPEG beside a good image.
        QVERIFY(writeImage(path("mixed/good.png"), 4));
        QVERIFY(writeImage(path("whole.jpg"), 5, 120, 100));
        QFile whole(path("whole.jpg"));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray jpeg = whole.readAll();
        QFile cut(path("mixed/cut.jpg"));
        QVERIFY(cut.open(QIODevice::WriteOnly) && cut.write(jpeg.left(jpeg.size() / 2)) > 0);
        cut.close();
        // 20,001 pixels wide (one row: a small file).
        QVERIFY(cv::imwrite(path("huge.png").toStdString(), cv::Mat(1, 20001, CV_8UC1, cv::Scalar(128))));

        Result<std::shared_ptr<LoadedClassifier>> loaded =
            LoadedClassifier::load(path("module"), QStringLiteral("cpu"));
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().text()));
        m_classifier = *loaded;
        QCOMPARE(m_classifier->labels(), kLabels);
        QCOMPARE(m_classifier->deviceName(), QStringLiteral("cpu"));
        QVERIFY(!m_classifier->model().is_training());
    }

    void topK_data()
    {
        QTest::addColumn<int>("top");
        QTest::addColumn<int>("expected");
        QTest::newRow("top 1") << 1 << 1;
        QTest::newRow("top 2") << 2 << 2;
        QTest::newRow("top 3") << 3 << 3;
        QTest::newRow("top 5 of 3 classes") << 5 << 3;
    }

    void topK()
    {
        QFETCH(int, top);
        QFETCH(int, expected);
        PredictOptions options;
        options.top = top;
        const ClassificationResult result = predict({path("images/a.png")}, options);
        QCOMPARE(result.items.size(), 1);
        const ClassificationResult::Item &item = result.items.first();
        QCOMPARE(item.input, QFileInfo(path("images/a.png")).absoluteFilePath());
        QCOMPARE(item.top.size(), expected);
        double sum = 0;
        QSet<QString> seen;
        for (qsizetype k = 0; k < item.top.size(); ++k) {
            const LabelScore &score = item.top.at(k);
            QVERIFY(kLabels.contains(score.label));
            QVERIFY(!seen.contains(score.label));
            seen.insert(score.label);
            QVERIFY(score.probability >= 0.0 && score.probability <= 1.0);
            if (k > 0)
                QVERIFY(score.probability <= item.top.at(k - 1).probability);
            sum += score.probability;
        }
        QVERIFY(sum <= 1.0 + 1e-5);
        if (expected == 3)
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        QVERIFY(item.heatMapPath.isEmpty());
    }

    void folderSortedAndBatched()
    {
        PredictOptions options;
        options.top = 3;
        options.batchSize = 2;
        PredictionSummary summary;
        const ClassificationResult folder = predict({path("images")}, options, &summary);
        QCOMPARE(folder.items.size(), 3);  // notes.txt is not an image
        QCOMPARE(folder.items[0].input, QFileInfo(path("images/a.png")).absoluteFilePath());
        QCOMPARE(folder.items[1].input, QFileInfo(path("images/b.jpg")).absoluteFilePath());
        QCOMPARE(folder.items[2].input, QFileInfo(path("images/sub/a.png")).absoluteFilePath());
        QCOMPARE(summary.predicted, qint64(3));
        QCOMPARE(summary.skipped, qint64(0));
        // Batched or one at a time, the same answers.
        for (const ClassificationResult::Item &item : folder.items) {
            const ClassificationResult single = predict({item.input}, options);
            QCOMPARE(single.items.size(), 1);
            for (qsizetype k = 0; k < item.top.size(); ++k) {
                QCOMPARE(single.items[0].top[k].label, item.top[k].label);
                QVERIFY(std::abs(single.items[0].top[k].probability - item.top[k].probability) < 1e-5);
            }
        }
    }

    void unreadableImagesAreSkipped()
    {
        QStringList logged;
        JobContext context(QStringLiteral("job"), nullptr,
                           {nullptr, [&](const QString &line) { logged << line; }, nullptr});
        PredictionSummary summary;
        Result<ClassificationResult> result =
            predictImages(*m_classifier, {path("mixed"), path("missing.png")}, PredictOptions{}, context, &summary);
        QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().text()));
        QCOMPARE(result->items.size(), 1);
        QVERIFY(result->items[0].input.endsWith(QStringLiteral("good.png")));
        QCOMPARE(summary.predicted, qint64(1));
        QCOMPARE(summary.skipped, qint64(2));
        QCOMPARE(summary.skippedImages.size(), size_t(2));
        bool sawCut = false;
        for (const SkippedImage &s : summary.skippedImages)
            if (s.path.endsWith(QStringLiteral("cut.jpg"))) {
                sawCut = true;
                QVERIFY2(s.reason.contains(QStringLiteral("truncated")), qPrintable(s.reason));
            }
        QVERIFY(sawCut);
        QVERIFY(logged.join(QLatin1Char('\n')).contains(QStringLiteral("cut.jpg")));
        QVERIFY(logged.join(QLatin1Char('\n')).contains(QStringLiteral("2 of 3 inputs could not be classified")));
    }

    void nothingReadableIsAnError()
    {
        JobContext context;
        Result<ClassificationResult> result =
            predictImages(*m_classifier, {path("mixed/cut.jpg")}, PredictOptions{}, context);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().text().contains(QStringLiteral("truncated")), qPrintable(result.error().text()));
    }

    void hugeImageIsRefused()
    {
        JobContext context;
        Result<ClassificationResult> result =
            predictImages(*m_classifier, {path("huge.png")}, PredictOptions{}, context);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().text().contains(QStringLiteral("20001")), qPrintable(result.error().text()));
        QVERIFY2(result.error().text().contains(QStringLiteral("over 20000 pixels a side")),
                 qPrintable(result.error().text()));
    }

    void badOptions_data()
    {
        QTest::addColumn<int>("top");
        QTest::addColumn<int>("tta");
        QTest::addColumn<QString>("field");
        QTest::newRow("top 0") << 0 << 1 << "top";
        QTest::newRow("tta 0") << 1 << 0 << "tta";
        QTest::newRow("tta too many") << 1 << testTimeViewCount() + 1 << "tta";
    }

    void badOptions()
    {
        QFETCH(int, top);
        QFETCH(int, tta);
        QFETCH(QString, field);
        PredictOptions options;
        options.top = top;
        options.tta = tta;
        JobContext context;
        Result<ClassificationResult> result = predictImages(*m_classifier, {path("images/a.png")}, options, context);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().field, field);
    }

    void testTimeAugmentation()
    {
        PredictOptions plain;
        plain.top = 3;
        PredictOptions tta = plain;
        tta.tta = 6;
        const ClassificationResult one = predict({path("images/b.jpg")}, plain);
        const ClassificationResult many = predict({path("images/b.jpg")}, tta);
        const ClassificationResult again = predict({path("images/b.jpg")}, tta);
        QCOMPARE(many.items.size(), 1);
        double sum = 0, difference = 0;
        for (qsizetype k = 0; k < 3; ++k) {
            sum += many.items[0].top[k].probability;
            QCOMPARE(again.items[0].top[k].label, many.items[0].top[k].label);
            QCOMPARE(again.items[0].top[k].probability, many.items[0].top[k].probability);  // deterministic
            for (const LabelScore &s : one.items[0].top)
                if (s.label == many.items[0].top[k].label)
                    difference += std::abs(s.probability - many.items[0].top[k].probability);
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        QVERIFY2(difference > 1e-7, "averaging other views changes the probabilities");
    }

    void testTimeViews()
    {
        const torch::Tensor x = torch::arange(2 * 3 * 8 * 10, torch::kFloat32).reshape({2, 3, 8, 10});
        for (int v = 0; v < testTimeViewCount(); ++v)
            QCOMPARE(testTimeView(x, v).sizes().vec(), x.sizes().vec());
        QVERIFY(torch::equal(testTimeView(x, 0), x));
        QVERIFY(torch::equal(testTimeView(x, 1), x.flip({3})));
        QVERIFY(!torch::equal(testTimeView(x, 3), testTimeView(x, 4)));
        QVERIFY(torch::allclose(testTimeView(x, 8), testTimeView(x, 3).flip({3})));
    }

    void csv()
    {
        QVERIFY(writeImage(path("odd, name.png"), 6));
        PredictOptions options;
        options.top = 2;
        const ClassificationResult result = predict({path("images"), path("odd, name.png")}, options);
        QCOMPARE(result.items.size(), 4);
        const QStringList lines = classificationToCsv(result).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QStringLiteral("path,label_1,probability_1,label_2,probability_2"));
        const QStringList first = lines[1].split(QLatin1Char(','));
        QCOMPARE(first.size(), 5);
        QCOMPARE(first[0], result.items[0].input);
        QCOMPARE(first[1], result.items[0].top[0].label);
        QVERIFY(std::abs(first[2].toDouble() - result.items[0].top[0].probability) < 1e-6);  // 6 significant digits
        QVERIFY(first[2].toDouble() >= first[4].toDouble());
        QVERIFY(lines[4].startsWith(QLatin1Char('"') + QFileInfo(path("odd, name.png")).absoluteFilePath() +
                                    QStringLiteral("\",")));
    }

    void gradCamMap()
    {
        int used = -2;
        Result<cv::Mat> cam = gradCamForImage(*m_classifier, path("images/a.png"), -1, &used);
        QVERIFY2(cam.ok(), qPrintable(cam ? QString() : cam.error().text()));
        QCOMPARE(cam->rows, 32);
        QCOMPARE(cam->cols, 32);
        QCOMPARE(cam->type(), CV_32F);
        double low = 0, high = 0;
        cv::minMaxLoc(*cam, &low, &high);
        QVERIFY(low >= 0.0);
        QVERIFY(high <= 1.0);
        QVERIFY(high == 0.0 || std::abs(high - 1.0) < 1e-6);  // scaled to [0, 1] unless all zero
        QVERIFY(cv::checkRange(*cam, true, nullptr, -1e-6, 1 + 1e-6));
        QVERIFY(used >= 0 && used < 3);
        // The top class of the prediction is the class of the map.
        const ClassificationResult result = predict({path("images/a.png")}, PredictOptions{});
        QCOMPARE(kLabels.at(used), result.items[0].top[0].label);
        // A given class, and one that does not exist.
        QVERIFY(gradCamForImage(*m_classifier, path("images/a.png"), 2).ok());
        QVERIFY(!gradCamForImage(*m_classifier, path("images/a.png"), 3).ok());
    }

    void gradCamBatch()
    {
        torch::manual_seed(3);
        const torch::Tensor batch = torch::randn({2, 3, 48, 40});
        Result<torch::Tensor> maps = m_classifier->gradCam(batch);
        QVERIFY(maps.ok());
        QCOMPARE(maps->sizes().vec(), (std::vector<int64_t>{2, 48, 40}));
        QVERIFY(maps->min().item<float>() >= 0.0f);
        QVERIFY(maps->max().item<float>() <= 1.0f);
        QVERIFY(!maps->requires_grad());
        // No gradient was left on the shared model.
        for (const torch::Tensor &p : m_classifier->model().parameters())
            QVERIFY(!p.grad().defined());
    }

    void gradCamFiles()
    {
        PredictOptions options;
        options.camDirectory = path("cams");
        const ClassificationResult result = predict({path("images")}, options);
        QCOMPARE(result.items.size(), 3);
        QCOMPARE(QFileInfo(result.items[0].heatMapPath).fileName(), QStringLiteral("a_cam.png"));
        QCOMPARE(QFileInfo(result.items[1].heatMapPath).fileName(), QStringLiteral("b_cam.png"));
        QCOMPARE(QFileInfo(result.items[2].heatMapPath).fileName(), QStringLiteral("a_2_cam.png"));  // same base name
        for (const ClassificationResult::Item &item : result.items) {
            const cv::Mat overlay = cv::imread(item.heatMapPath.toStdString(), cv::IMREAD_UNCHANGED);
            QVERIFY(!overlay.empty());
            QCOMPARE(overlay.type(), CV_8UC3);
            QVERIFY(std::min(overlay.rows, overlay.cols) >= 224);  // small inputs are enlarged
        }
    }

    // Issue 17: the map of any class, not only the top one.
    void gradCamFilesForAGivenClass()
    {
        PredictOptions options;
        options.camDirectory = path("cams-top");
        const ClassificationResult top = predict({path("images/a.png")}, options);
        QCOMPARE(top.items.size(), 1);
        const cv::Mat topOverlay = cv::imread(top.items[0].heatMapPath.toStdString());
        QVERIFY(!topOverlay.empty());
        std::vector<cv::Mat> overlays;
        for (const QString &label : kLabels) {
            options.camDirectory = path(QStringLiteral("cams-") + label);
            options.camClass = label;
            const ClassificationResult result = predict({path("images/a.png")}, options);
            QCOMPARE(result.items.size(), 1);
            QCOMPARE(result.items[0].top[0].label, top.items[0].top[0].label);  // the ranking does not change
            const cv::Mat overlay = cv::imread(result.items[0].heatMapPath.toStdString());
            QVERIFY(!overlay.empty());
            QCOMPARE(overlay.size(), topOverlay.size());
            if (label == top.items[0].top[0].label)
                QCOMPARE(cv::norm(overlay, topOverlay, cv::NORM_L1), 0.0);
            overlays.push_back(overlay);
        }
        // The classes' maps are not all the same picture.
        QVERIFY(cv::norm(overlays[0], overlays[1], cv::NORM_L1) > 0 ||
                cv::norm(overlays[1], overlays[2], cv::NORM_L1) > 0);

        options.camClass = QStringLiteral("no-such-class");
        JobContext context;
        Result<ClassificationResult> unknown = predictImages(*m_classifier, {path("images/a.png")}, options, context);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().field, QStringLiteral("cam-class"));
        QVERIFY2(unknown.error().text().contains(kLabels.first()), qPrintable(unknown.error().text()));
    }

    void weightsThatDoNotFit_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<int>("labels");
        QTest::addColumn<QString>("expected");
        QTest::newRow("more labels than outputs") << "smallcnn" << 4 << "shape";
        QTest::newRow("another architecture") << "resnet18" << 3 << "missing";
    }

    void weightsThatDoNotFit()
    {
        QFETCH(QString, architecture);
        QFETCH(int, labels);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QStringList names = kLabels;
        while (names.size() < labels)
            names << QStringLiteral("class%1").arg(names.size());
        QVERIFY(makeModule(dir.path(), architecture, names));
        Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(dir.path(), QStringLiteral("cpu"));
        QVERIFY(!loaded.ok());
        const QString text = loaded.error().text();
        QVERIFY2(text.contains(QStringLiteral("do not fit a %1").arg(architecture)), qPrintable(text));
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("train it again")), qPrintable(text));
    }

    void moduleKnowsEveryArchitecture()
    {
        // classifier_module.cpp repeats the list without LibTorch; both must stay in step.
        QStringList built;
        for (const std::string &name : architectures())
            built << QString::fromStdString(name);
        QCOMPARE(classifierArchitectures(), built);
    }

    void sameAnswerOnCuda()
    {
        if (!DeviceService::cudaAvailable())
            QSKIP("no CUDA device");
        Result<std::shared_ptr<LoadedClassifier>> gpu = LoadedClassifier::load(path("module"), QStringLiteral("cuda"));
        QVERIFY2(gpu.ok(), qPrintable(gpu ? QString() : gpu.error().text()));
        PredictOptions options;
        options.top = 3;
        options.camDirectory = path("cams-cuda");
        JobContext context;
        Result<ClassificationResult> onGpu = predictImages(**gpu, {path("images")}, options, context);
        QVERIFY2(onGpu.ok(), qPrintable(onGpu ? QString() : onGpu.error().text()));
        options.camDirectory.clear();
        const ClassificationResult onCpu = predict({path("images")}, options);
        QCOMPARE(onGpu->items.size(), onCpu.items.size());
        for (qsizetype i = 0; i < onCpu.items.size(); ++i) {
            QCOMPARE(onGpu->items[i].top[0].label, onCpu.items[i].top[0].label);
            QVERIFY(std::abs(onGpu->items[i].top[0].probability - onCpu.items[i].top[0].probability) < 1e-3);
            QVERIFY(QFile::exists(onGpu->items[i].heatMapPath));
        }
    }

    void templateAndDeviceErrors()
    {
        QTemporaryDir dir;
        Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(dir.path(), QStringLiteral("cpu"));
        QVERIFY(!loaded.ok());
        loaded = LoadedClassifier::load(path("module"), QStringLiteral("tpu"));
        QVERIFY(!loaded.ok());
    }
};

QTEST_GUILESS_MAIN(TestClassifierPredictor)
#include "test_classifier_predictor.moc"
