// Augmenter, ImagePipeline and NormalizationEstimator: every augmentation is fixed by its
// seed and does what it says (a flip is exact), evaluation resizes and crops, and the
// mean/std computed from the data is right and independent of the thread count.
#include "plugins/imageclass/data/augmenter.h"
#include "plugins/imageclass/data/image_pipeline.h"
#include "plugins/imageclass/data/normalization_estimator.h"
#include "plugins/imageclass/data/seeded_rng.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace dw::imageclass;

Q_DECLARE_METATYPE(dw::imageclass::AugmentationOptions)

namespace {

// An RGB image with structure everywhere (no two neighbours alike), values in 20..235.
cv::Mat texture(int width, int height, int depth = CV_8U)
{
    cv::Mat mat(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            mat.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(20 + (x * 37 + y * 11) % 215),
                                                static_cast<uchar>(20 + (x * 5 + y * 53) % 215),
                                                static_cast<uchar>(20 + (x * y * 3 + x) % 215));
    if (depth == CV_16U)
        mat.convertTo(mat, CV_16U, 257.0);
    return mat;
}

double maxDifference(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return 1e9;
    return cv::norm(a, b, cv::NORM_INF);
}

AugmentationOptions only(const char *what)
{
    AugmentationOptions o = AugmentationOptions::none();
    const QByteArray w(what);
    const bool all = w == "everything";
    if (all || w == "flips") {
        o.horizontalFlip = 0.5;
        o.verticalFlip = 0.5;
    }
    if (all || w == "rotation")
        o.rotationDegrees = 30.0;
    if (all || w == "crop")
        o.randomResizedCrop = true;
    if (all || w == "colour") {
        o.brightness = 0.4;
        o.contrast = 0.4;
        o.saturation = 0.4;
    }
    if (all || w == "blur")
        o.blurProbability = 1.0;
    if (all || w == "noise")
        o.noiseProbability = 1.0;
    return o;
}

void writePng(const QString &path, const cv::Mat &mat)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(cv::imwrite(path.toStdString(), mat));
}

}  // namespace

class TestAugmentation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deterministicUnderSeed_data()
    {
        QTest::addColumn<AugmentationOptions>("options");
        for (const char *what : {"flips", "rotation", "crop", "colour", "blur", "noise", "everything"})
            QTest::newRow(what) << only(what);
    }

    void deterministicUnderSeed()
    {
        QFETCH(AugmentationOptions, options);
        const Augmenter augmenter(options, cv::Size(24, 20));
        const cv::Mat image = texture(40, 30);
        const cv::Mat first = augmenter.train(image, 7);
        QCOMPARE(first.type(), CV_32FC3);
        QCOMPARE(first.size(), cv::Size(24, 20));
        QCOMPARE(maxDifference(first, augmenter.train(image, 7)), 0.0);
        QCOMPARE(maxDifference(image, texture(40, 30)), 0.0);  // the input is left alone
        bool differs = false;
        for (std::uint64_t seed = 8; seed < 16 && !differs; ++seed)
            differs = maxDifference(first, augmenter.train(image, seed)) > 1e-6;
        QVERIFY(differs);
        double lo = 0, hi = 0;
        cv::minMaxLoc(first.reshape(1), &lo, &hi);
        QVERIFY(lo >= 0.0 && hi <= 1.0);
    }

    void flipIsExact_data()
    {
        QTest::addColumn<bool>("horizontal");
        QTest::newRow("horizontal") << true;
        QTest::newRow("vertical") << false;
    }

    void flipIsExact()
    {
        QFETCH(bool, horizontal);
        AugmentationOptions options = AugmentationOptions::none();
        (horizontal ? options.horizontalFlip : options.verticalFlip) = 1.0;
        const Augmenter augmenter(options, cv::Size(32, 24));
        const cv::Mat image = texture(32, 24);
        cv::Mat expected;
        cv::flip(Augmenter::toFloat(image), expected, horizontal ? 1 : 0);
        QCOMPARE(maxDifference(augmenter.train(image, 123), expected), 0.0);
        QCOMPARE(maxDifference(augmenter.evaluate(image), Augmenter::toFloat(image)), 0.0);
    }

    void rotation()
    {
        const cv::Mat image = Augmenter::toFloat(texture(21, 21));
        cv::Mat flipped;
        cv::flip(image, flipped, -1);
        QVERIFY(maxDifference(Augmenter::rotate(image, 180.0), flipped) < 1e-4);
        const cv::Mat tilted = Augmenter::rotate(image, 15.0);
        QCOMPARE(tilted.size(), image.size());
        QVERIFY(maxDifference(tilted, image) > 0.1);
        double lo = 0;
        cv::minMaxLoc(tilted.reshape(1), &lo);
        QVERIFY(lo > 0.05);  // borders reflected, no black corners
    }

    void randomResizedCrop()
    {
        AugmentationOptions o;
        o.scaleMin = 0.25;
        o.scaleMax = 0.5;
        o.ratioMin = 0.5;
        o.ratioMax = 2.0;
        const cv::Size size(200, 100);
        for (std::uint64_t seed = 0; seed < 300; ++seed) {
            SeededRng rng(seed);
            const cv::Rect r = Augmenter::randomResizedCropRect(size, o, rng);
            QVERIFY((r & cv::Rect(cv::Point(), size)) == r);
            const double area = double(r.area()) / size.area();
            QVERIFY2(area > 0.24 && area < 0.51, qPrintable(QString::number(area)));
            const double ratio = double(r.width) / r.height;
            QVERIFY(ratio > 0.45 && ratio < 2.1);
        }
        o.randomResizedCrop = true;
        const cv::Mat out = Augmenter(o, cv::Size(16, 16)).train(texture(200, 100), 5);
        QCOMPARE(out.size(), cv::Size(16, 16));
    }

    void colour()
    {
        cv::Mat image(8, 8, CV_32FC3, cv::Scalar(0.2, 0.4, 0.6));
        image.at<cv::Vec3f>(0, 0) = cv::Vec3f(0.8f, 0.1f, 0.3f);
        cv::Mat bright = image.clone();
        Augmenter::adjustBrightness(bright, 0.5);
        QVERIFY(maxDifference(bright, image * 0.5) < 1e-6);
        Augmenter::adjustBrightness(bright, 10.0);
        double hi = 0;
        cv::minMaxLoc(bright.reshape(1), nullptr, &hi);
        QCOMPARE(hi, 1.0);  // clamped

        cv::Mat flat = image.clone();
        Augmenter::adjustContrast(flat, 0.0);  // every pixel the mean luminance
        cv::Mat grey;
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        const float mean = static_cast<float>(cv::mean(grey)[0]);
        QVERIFY(maxDifference(flat, cv::Mat(8, 8, CV_32FC3, cv::Scalar::all(mean))) < 1e-5);

        cv::Mat grey3 = image.clone();
        Augmenter::adjustSaturation(grey3, 0.0);  // all channels the luminance
        std::vector<cv::Mat> planes;
        cv::split(grey3, planes);
        QVERIFY(maxDifference(planes[0], planes[1]) < 1e-6 && maxDifference(planes[1], planes[2]) < 1e-6);
        QVERIFY(maxDifference(planes[0], grey) < 1e-5);
        cv::Mat same = image.clone();
        Augmenter::adjustSaturation(same, 1.0);
        QVERIFY(maxDifference(same, image) < 1e-6);
    }

    void blurAndNoise()
    {
        cv::Mat board(16, 16, CV_32FC1);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x)
                board.at<float>(y, x) = ((x + y) % 2) ? 0.9f : 0.1f;
        cv::Mat blurred = board.clone();
        Augmenter::gaussianBlur(blurred, 1.5);
        cv::Scalar mean, stddev, blurredStd;
        cv::meanStdDev(board, mean, stddev);
        cv::meanStdDev(blurred, mean, blurredStd);
        QVERIFY(blurredStd[0] < stddev[0] * 0.3);
        QVERIFY(std::abs(mean[0] - 0.5) < 0.02);

        cv::Mat grey(64, 64, CV_32FC1, cv::Scalar(0.5));
        cv::Mat noisy = grey.clone(), again = grey.clone();
        Augmenter::addNoise(noisy, 0.05, 99);
        Augmenter::addNoise(again, 0.05, 99);
        QCOMPARE(maxDifference(noisy, again), 0.0);
        cv::meanStdDev(noisy - grey, mean, stddev);
        QVERIFY2(std::abs(stddev[0] - 0.05) < 0.01, qPrintable(QString::number(stddev[0])));
    }

    void evaluationGeometry_data()
    {
        QTest::addColumn<int>("inWidth");
        QTest::addColumn<int>("inHeight");
        QTest::addColumn<double>("ratio");
        QTest::newRow("landscape") << 40 << 20 << 1.0;
        QTest::newRow("portrait") << 20 << 50 << 1.0;
        QTest::newRow("imagenet ratio") << 64 << 64 << 256.0 / 224.0;
        QTest::newRow("upscale") << 8 << 6 << 1.0;
    }

    void evaluationGeometry()
    {
        QFETCH(int, inWidth);
        QFETCH(int, inHeight);
        QFETCH(double, ratio);
        const Augmenter augmenter(AugmentationOptions::none(), cv::Size(16, 16), ratio);
        const cv::Mat out = augmenter.evaluate(texture(inWidth, inHeight));
        QCOMPARE(out.size(), cv::Size(16, 16));
        QCOMPARE(out.type(), CV_32FC3);
        // A centre crop: a bright centre stays in the middle.
        cv::Mat marked(inHeight, inWidth, CV_8UC3, cv::Scalar::all(0));
        cv::circle(marked, cv::Point(inWidth / 2, inHeight / 2), std::max(1, std::min(inWidth, inHeight) / 8),
                   cv::Scalar::all(255), -1);
        const cv::Mat centred = augmenter.evaluate(marked);
        QVERIFY(centred.at<cv::Vec3f>(8, 8)[0] > 0.5f);
        QVERIFY(centred.at<cv::Vec3f>(0, 0)[0] < 0.5f);
    }

    void sixteenBitMatchesEightBit()
    {
        const Augmenter augmenter(only("everything"), cv::Size(20, 20));
        const cv::Mat a = augmenter.train(texture(30, 30, CV_8U), 11);
        const cv::Mat b = augmenter.train(texture(30, 30, CV_16U), 11);
        QVERIFY(maxDifference(a, b) < 2.0 / 255.0);
    }

    void pipeline()
    {
        QTemporaryDir dir;
        cv::Mat grey(10, 10, CV_8UC1, cv::Scalar(51));  // 0.2
        writePng(dir.filePath("grey.png"), grey);
        PipelineOptions options;
        options.width = 6;
        options.height = 6;
        options.channels = 3;
        options.normalization = {{0.1f, 0.2f, 0.3f}, {0.5f, 0.25f, 0.1f}};
        const ImagePipeline pipeline(options);
        QVERIFY(ImagePipeline::check(options).ok());
        const auto input = pipeline.load(dir.filePath("grey.png"), false, 0);
        QVERIFY(input.ok());
        QCOMPARE(input->type(), CV_32FC3);
        QCOMPARE(input->size(), cv::Size(6, 6));
        const cv::Vec3f v = input->at<cv::Vec3f>(3, 3);
        QVERIFY(std::abs(v[0] - (0.2f - 0.1f) / 0.5f) < 1e-5);
        QVERIFY(std::abs(v[1] - (0.2f - 0.2f) / 0.25f) < 1e-5);
        QVERIFY(std::abs(v[2] - (0.2f - 0.3f) / 0.1f) < 1e-5);
        const auto missing = pipeline.load(dir.filePath("none.png"), true, 1);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().text().contains("none.png"));

        options.normalization = Normalization::imagenet();
        options.channels = 1;
        QVERIFY(!ImagePipeline::check(options).ok());
        options.channels = 3;
        options.width = 0;
        QVERIFY(!ImagePipeline::check(options).ok());
    }

    void normalizationFromData()
    {
        QTemporaryDir dir;
        QStringList paths;
        for (int i = 0; i < 10; ++i) {
            const QString path = dir.filePath(QStringLiteral("%1.png").arg(i));
            writePng(path, cv::Mat(5 + i, 7, CV_8UC1, cv::Scalar(i % 2 ? 153 : 51)));  // 0.6 or 0.2
            paths << path;
        }
        QFile bad(dir.filePath("bad.png"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("no image");
        bad.close();
        paths << bad.fileName();
        PipelineOptions pipeline;
        pipeline.width = pipeline.height = 4;
        pipeline.channels = 3;
        NormalizationEstimator::Options options;
        options.threads = 1;
        const auto one = NormalizationEstimator::estimate(paths, pipeline, options);
        QVERIFY(one.ok());
        QCOMPARE(one->channels(), 3);
        for (int c = 0; c < 3; ++c) {
            QVERIFY(std::abs(one->mean[std::size_t(c)] - 0.4f) < 1e-4);
            QVERIFY(std::abs(one->std[std::size_t(c)] - 0.2f) < 1e-4);
        }
        options.threads = 3;
        const auto three = NormalizationEstimator::estimate(paths, pipeline, options);
        QVERIFY(three.ok());
        QCOMPARE(three->mean, one->mean);
        QCOMPARE(three->std, one->std);
        options.maxImages = 4;
        const auto sampled = NormalizationEstimator::estimate(paths, pipeline, options);
        QVERIFY(sampled.ok());
        QCOMPARE(NormalizationEstimator::estimate(paths, pipeline, options)->mean, sampled->mean);
        QVERIFY(!NormalizationEstimator::estimate({bad.fileName()}, pipeline, options).ok());

        const auto json = Normalization::fromJson(one->toJson());
        QVERIFY(json.ok());
        QCOMPARE(json->mean, one->mean);
        QVERIFY(!Normalization::fromJson(QJsonObject{{"mean", QJsonArray{0.5}}, {"std", QJsonArray{0.0}}}).ok());
    }

    void optionsJson()
    {
        AugmentationOptions o = AugmentationOptions::photo();
        o.rotationDegrees = 12.5;
        o.noiseProbability = 0.25;
        const AugmentationOptions back = AugmentationOptions::fromJson(o.toJson());
        QCOMPARE(back.toJson(), o.toJson());
        QCOMPARE(back.randomResizedCrop, true);
        QCOMPARE(back.rotationDegrees, 12.5);
        QCOMPARE(AugmentationOptions::fromJson({}).toJson(), AugmentationOptions().toJson());
    }
};

QTEST_GUILESS_MAIN(TestAugmentation)
#include "test_augmentation.moc"
