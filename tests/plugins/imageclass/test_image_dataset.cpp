// ImageDataset and its readers (folder per class, DEEP split files, CSV manifest), the
// stratified split, the data hash and the dataset report. Every bad input has a row.
#include "plugins/imageclass/data/dataset_report.h"
#include "plugins/imageclass/data/image_dataset.h"
#include "plugins/imageclass/data/stratified_splitter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace dw::imageclass;

namespace {

void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// A small PNG (or JPEG, by suffix) of one colour.
void writeImage(const QString &path, int value = 128, int width = 12, int height = 10)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(
        cv::imwrite(path.toStdString(), cv::Mat(height, width, CV_8UC3, cv::Scalar(value, 255 - value, value / 2))));
}

QString errorText(const dw::Result<ImageDataset> &result)
{
    return result.ok() ? QStringLiteral("(no error)") : result.error().text();
}

}  // namespace

class TestImageDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void folderPerClass()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("cat/a.png"));
        writeImage(dir.filePath("cat/b.jpg"));
        writeImage(dir.filePath("cat/.hidden.png"));
        writeText(dir.filePath("cat/notes.txt"), "not an image");
        writeImage(dir.filePath("dog/c.png"));
        writeImage(dir.filePath("dog/more/d.png"));
        writeImage(dir.filePath(".thumbnails/e.png"));
        writeImage(dir.filePath("stray.png"));
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        QCOMPARE(dataset->format(), DatasetFormat::FolderPerClass);
        QCOMPARE(dataset->classes(), (QStringList{"cat", "dog"}));
        QCOMPARE(dataset->size(), std::size_t(4));
        QStringList paths;
        for (const ImageSample &s : dataset->samples())
            paths << s.relativePath + ":" + QString::number(s.label);
        QCOMPARE(paths, (QStringList{"cat/a.png:0", "cat/b.jpg:0", "dog/c.png:1", "dog/more/d.png:1"}));
        QVERIFY(QFileInfo(dataset->samples().front().path).isAbsolute());
        QVERIFY(dataset->samples().front().bytes > 0);
        QVERIFY(!dataset->hasPredefinedSplit());
    }

    void folderWithSplitSubfolders()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 10; ++i) {
            writeImage(dir.filePath(QStringLiteral("train/ant/%1.png").arg(i)));
            writeImage(dir.filePath(QStringLiteral("train/bee/%1.png").arg(i)));
        }
        writeImage(dir.filePath("test/ant/t.png"));
        writeImage(dir.filePath("test/bee/t.png"));
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        QCOMPARE(dataset->classes(), (QStringList{"ant", "bee"}));
        QVERIFY(dataset->hasPredefinedSplit());
        const auto split = dataset->split({}, 1);
        QVERIFY(split.ok());
        QCOMPARE(split->test.size(), std::size_t(2));
        // No val/ folder: validation carved from train, per class (15 / 85 of 10 -> 2).
        QCOMPARE(split->validation.size(), std::size_t(4));
        QCOMPARE(split->train.size(), std::size_t(16));
    }

    void splitFiles()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("images/my photo 1.png"));
        writeImage(dir.filePath("images/b.png"));
        writeImage(dir.filePath("images/sub/c.png"));
        writeImage(dir.filePath("images/d.png"));
        writeText(dir.filePath("dataset_files/classes.txt"), "Quercus robur\nFagus sylvatica\n\n");
        writeText(dir.filePath("dataset_files/train.txt"), "# a comment\nmy photo 1.png 0\r\nb.png 1\n\n");
        writeText(dir.filePath("dataset_files/val.txt"), "sub/c.png Fagus sylvatica\n");
        writeText(dir.filePath("dataset_files/test.txt"), "d.png\t0\n");
        writeText(dir.filePath("dataset_files/info.txt"), "Leaves of two trees.\n");
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        QCOMPARE(dataset->format(), DatasetFormat::SplitFiles);
        QCOMPARE(dataset->classes(), (QStringList{"Quercus robur", "Fagus sylvatica"}));
        QCOMPARE(dataset->description(), QStringLiteral("Leaves of two trees."));
        QCOMPARE(dataset->size(), std::size_t(4));
        const ImageSample &first = dataset->samples()[0];
        QCOMPARE(first.relativePath, QStringLiteral("images/my photo 1.png"));
        QCOMPARE(first.label, 0);
        QCOMPARE(first.subset, Subset::Train);
        QCOMPARE(first.origin, QStringLiteral("train.txt:2"));
        QCOMPARE(dataset->samples()[2].label, 1);  // by name
        QCOMPARE(dataset->samples()[2].subset, Subset::Validation);
        QCOMPARE(dataset->samples()[3].subset, Subset::Test);
        const auto split = dataset->split();
        QVERIFY(split.ok());
        QCOMPARE(split->train, (std::vector<int>{0, 1}));
        QCOMPARE(split->validation, (std::vector<int>{2}));
        QCOMPARE(split->test, (std::vector<int>{3}));
    }

    void splitFilesWithoutClassesTxt()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("x.png"));
        writeImage(dir.filePath("y.png"));
        writeText(dir.filePath("train.txt"), "x.png 1\ny.png 0\n");
        const auto dataset = ImageDataset::open(dir.filePath("train.txt"));
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        QCOMPARE(dataset->classes(), (QStringList{"0", "1"}));
        QCOMPARE(dataset->samples()[0].label, 1);
    }

    void csvManifest_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QStringList>("classes");
        QTest::addColumn<int>("testSamples");
        QTest::newRow("no header") << QByteArray("a.png,cat\nimg/b, 1.png,dog\n") << QStringList{} << -1;
        QTest::newRow("quoted, no header")
            << QByteArray("a.png,cat\n\"img/b, 1.png\",dog\n") << QStringList{"cat", "dog"} << 0;
        QTest::newRow("header, any order, split")
            << QByteArray("Label;File;split\ncat;a.png;train\ndog;\"img/b, 1.png\";test\n") << QStringList{"cat", "dog"}
            << 1;
        QTest::newRow("crlf, bom, integers")
            << QByteArray("\xEF\xBB\xBFpath,label\r\na.png,10\r\n\"img/b, 1.png\",9\r\n") << QStringList{"9", "10"}
            << 0;
    }

    void csvManifest()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QStringList, classes);
        QFETCH(int, testSamples);
        QTemporaryDir dir;
        writeImage(dir.filePath("a.png"));
        writeImage(dir.filePath("img/b, 1.png"));
        writeText(dir.filePath("labels.csv"), csv);
        const auto dataset = ImageDataset::open(dir.path());
        if (testSamples < 0) {  // an unquoted comma in a path: too many fields is fine, the path is wrong
            QVERIFY(!dataset.ok());
            QVERIFY2(dataset.error().message.contains("labels.csv:2"), qPrintable(dataset.error().message));
            return;
        }
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        QCOMPARE(dataset->format(), DatasetFormat::CsvManifest);
        QCOMPARE(dataset->classes(), classes);
        QCOMPARE(dataset->samples()[1].relativePath, QStringLiteral("img/b, 1.png"));
        QCOMPARE(int(std::count_if(dataset->samples().begin(), dataset->samples().end(),
                                   [](const ImageSample &s) { return s.subset == Subset::Test; })),
                 testSamples);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("expected");  // every one must be in the message
        QTest::newRow("empty class folder") << "emptyClass" << QStringList{"'dog'", "contains no images"};
        QTest::newRow("single class") << "singleClass" << QStringList{"need at least 2 classes", "'cat'"};
        QTest::newRow("no classes") << "nothing" << QStringList{"no class folders"};
        QTest::newRow("images but no class folders") << "flat" << QStringList{"no class folders"};
        QTest::newRow("label out of range")
            << "outOfRange" << QStringList{"train.txt:3", "label 5 is out of range", "0 to 1"};
        QTest::newRow("missing file") << "missingFile" << QStringList{"val.txt:2", "'gone.png' not found"};
        QTest::newRow("label not a class") << "unknownLabel" << QStringList{"train.txt:1", "'wolf'"};
        QTest::newRow("line without label") << "noLabel" << QStringList{"train.txt:2", "no label"};
        QTest::newRow("class without images") << "unusedClass" << QStringList{"classes.txt:3", "'bird'"};
        QTest::newRow("image in train and test") << "leak" << QStringList{"test.txt:1", "also listed in train.txt:1"};
        QTest::newRow("single class in classes.txt") << "oneClassTxt" << QStringList{"need at least 2 classes"};
        QTest::newRow("csv unterminated quote") << "csvQuote" << QStringList{"labels.csv:3", "quoted field"};
        QTest::newRow("csv too few fields") << "csvFields" << QStringList{"labels.csv:1", "but found 1."};
        QTest::newRow("csv missing file") << "csvMissing" << QStringList{"labels.csv:3", "'nope.png' not found"};
        QTest::newRow("csv bad split") << "csvSplit" << QStringList{"labels.csv:1", "'later'"};
        QTest::newRow("csv header without label") << "csvHeader" << QStringList{"no label column"};
        QTest::newRow("not a folder") << "missingRoot" << QStringList{"does not exist"};
    }

    void badInput()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        const auto img = [&](const char *name) { writeImage(dir.filePath(QString::fromLatin1(name))); };
        const auto txt = [&](const char *name, const QByteArray &text) {
            writeText(dir.filePath(QString::fromLatin1(name)), text);
        };
        QString open = dir.path();
        if (kind == "emptyClass") {
            img("cat/a.png");
            QDir().mkpath(dir.filePath("dog"));
            txt("dog/readme.txt", "no images here");
        } else if (kind == "singleClass") {
            img("cat/a.png");
        } else if (kind == "flat") {
            img("a.png");
        } else if (kind == "outOfRange") {
            img("a.png");
            img("b.png");
            img("c.png");
            txt("classes.txt", "cat\ndog\n");
            txt("train.txt", "a.png 0\nb.png 1\nc.png 5\n");
        } else if (kind == "missingFile") {
            img("a.png");
            img("b.png");
            txt("classes.txt", "cat\ndog\n");
            txt("train.txt", "a.png 0\nb.png 1\n");
            txt("val.txt", "a.png 0\ngone.png 1\n");
        } else if (kind == "unknownLabel") {
            img("a.png");
            txt("classes.txt", "cat\ndog\n");
            txt("train.txt", "a.png wolf\n");
        } else if (kind == "noLabel") {
            img("a.png");
            txt("train.txt", "a.png 0\njustapath\n");
        } else if (kind == "unusedClass") {
            img("a.png");
            img("b.png");
            txt("classes.txt", "cat\ndog\nbird\n");
            txt("train.txt", "a.png 0\nb.png 1\n");
        } else if (kind == "leak") {
            img("a.png");
            img("b.png");
            txt("train.txt", "a.png cat\nb.png dog\n");
            txt("test.txt", "a.png cat\n");
        } else if (kind == "oneClassTxt") {
            img("a.png");
            txt("classes.txt", "cat\n");
            txt("train.txt", "a.png 0\n");
        } else if (kind == "csvQuote") {
            img("a.png");
            txt("labels.csv", "path,label\na.png,cat\n\"a.png,dog\n");
        } else if (kind == "csvFields") {
            img("a.png");
            txt("labels.csv", "a.png\n");
        } else if (kind == "csvMissing") {
            img("a.png");
            txt("labels.csv", "path,label\na.png,cat\nnope.png,dog\n");
        } else if (kind == "csvSplit") {
            img("a.png");
            txt("labels.csv", "a.png,cat,later\n");
        } else if (kind == "csvHeader") {
            img("a.png");
            txt("labels.csv", "path,colour\na.png,red\n");
        } else if (kind == "missingRoot") {
            open = dir.filePath("absent");
        }
        const auto dataset = ImageDataset::open(open);
        QVERIFY(!dataset.ok());
        for (const QString &part : expected)
            QVERIFY2(dataset.error().message.contains(part), qPrintable(dataset.error().text()));
    }

    void classOnlyInTestIsAnError()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("train/cat/a.png"));
        writeImage(dir.filePath("test/cat/b.png"));
        writeImage(dir.filePath("test/dog/c.png"));
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY2(dataset.ok(), qPrintable(errorText(dataset)));
        const auto split = dataset->split();
        QVERIFY(!split.ok());
        QVERIFY2(split.error().message.contains("'dog' has no training images"), qPrintable(split.error().message));
    }

    void stratifiedSplit_data()
    {
        QTest::addColumn<double>("train");
        QTest::addColumn<double>("validation");
        QTest::addColumn<double>("test");
        QTest::newRow("70/15/15") << 0.70 << 0.15 << 0.15;
        QTest::newRow("80/10/10") << 0.8 << 0.1 << 0.1;
        QTest::newRow("60/40/0") << 0.6 << 0.4 << 0.0;
        QTest::newRow("unnormalised 7/2/1") << 7.0 << 2.0 << 1.0;
    }

    void stratifiedSplit()
    {
        QFETCH(double, train);
        QFETCH(double, validation);
        QFETCH(double, test);
        // Classes of 200, 40 and 2 samples, interleaved; and one of a single sample.
        std::vector<int> labels;
        for (int i = 0; i < 200; ++i) {
            labels.push_back(0);
            if (i % 5 == 0)
                labels.push_back(1);
        }
        labels.insert(labels.begin() + 17, {2, 2});
        labels.push_back(3);
        const SplitFractions fractions{train, validation, test};
        const DatasetSplit split = StratifiedSplitter::splitAll(labels, fractions, 42);
        QCOMPARE(split.total(), labels.size());
        QSet<int> seen;
        for (const auto *part : {&split.train, &split.validation, &split.test}) {
            QVERIFY(std::is_sorted(part->begin(), part->end()));
            for (const int i : *part) {
                QVERIFY(!seen.contains(i));
                seen.insert(i);
            }
        }
        const double sum = train + validation + test;
        for (const int cls : {0, 1}) {
            const auto n = std::count(labels.begin(), labels.end(), cls);
            const auto inPart = [&](const std::vector<int> &part) {
                return double(
                    std::count_if(part.begin(), part.end(), [&](int i) { return labels[std::size_t(i)] == cls; }));
            };
            QVERIFY(std::abs(inPart(split.train) - n * train / sum) <= 1.0);
            QVERIFY(std::abs(inPart(split.validation) - n * validation / sum) <= 1.0);
            QVERIFY(std::abs(inPart(split.test) - n * test / sum) <= 1.0);
        }
        for (const int cls : {2, 3})  // tiny classes still train
            QVERIFY(std::any_of(split.train.begin(), split.train.end(),
                                [&](int i) { return labels[std::size_t(i)] == cls; }));

        const DatasetSplit again = StratifiedSplitter::splitAll(labels, fractions, 42);
        QCOMPARE(again.train, split.train);
        QCOMPARE(again.validation, split.validation);
        QCOMPARE(again.test, split.test);
        if (validation > 0.0) {
            const DatasetSplit other = StratifiedSplitter::splitAll(labels, fractions, 43);
            QVERIFY(other.validation != split.validation);
        }
    }

    void rejectsBadFractions()
    {
        QVERIFY(!StratifiedSplitter::check({0.0, 0.5, 0.5}).ok());
        QVERIFY(!StratifiedSplitter::check({0.7, -0.1, 0.4}).ok());
        QVERIFY(StratifiedSplitter::check({1.0, 0.0, 0.0}).ok());
    }

    void dataHash()
    {
        QTemporaryDir a, b;
        for (QTemporaryDir *dir : {&a, &b}) {
            writeImage(dir->filePath("cat/1.png"), 10);
            writeImage(dir->filePath("cat/2.png"), 20);
            writeImage(dir->filePath("dog/3.png"), 30);
        }
        const auto first = ImageDataset::open(a.path());
        const auto second = ImageDataset::open(b.path());
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first->dataHash().size(), 64);
        QCOMPARE(first->dataHash(), second->dataHash());  // wherever it lies
        QVERIFY(QFile::rename(b.filePath("cat/2.png"), b.filePath("dog/2.png")));
        const auto relabelled = ImageDataset::open(b.path());
        QVERIFY(relabelled.ok());
        QVERIFY(relabelled->dataHash() != first->dataHash());
        const QJsonObject summary = first->summaryJson();
        QCOMPARE(summary["sha256"].toString(), first->dataHash());
        QCOMPARE(summary["images"].toInt(), 3);
        QCOMPARE(summary["format"].toString(), QStringLiteral("folder-per-class"));
    }

    void report_data()
    {
        QTest::addColumn<bool>("decode");
        QTest::newRow("decoding") << true;
        QTest::newRow("headers only") << false;
    }

    void report()
    {
        QFETCH(bool, decode);
        QTemporaryDir dir;
        for (int i = 0; i < 12; ++i)
            writeImage(dir.filePath(QStringLiteral("cat/%1.png").arg(i)), i * 10, 20 + i, 10);
        writeImage(dir.filePath("dog/big.png"), 50, 64, 48);
        writeImage(dir.filePath("dog/small.jpg"), 50, 8, 8);
        QFile jpeg(dir.filePath("dog/small.jpg"));
        QVERIFY(jpeg.open(QIODevice::ReadOnly));
        const QByteArray bytes = jpeg.readAll();
        jpeg.close();
        writeText(dir.filePath("dog/cut.jpg"), bytes.left(bytes.size() / 2));
        writeText(dir.filePath("dog/fake.png"), "plain text");
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY(dataset.ok());
        const auto split = dataset->split({}, 3);
        QVERIFY(split.ok());
        DatasetReport::Options options;
        options.decode = decode;
        options.threads = 3;
        std::atomic<int> calls{0};
        const DatasetReport report =
            DatasetReport::build(*dataset, &*split, options, nullptr, [&](std::int64_t, std::int64_t) { ++calls; });
        QCOMPARE(calls.load(), 16);
        QCOMPARE(report.total, 16);
        QCOMPARE(report.scanned, 16);
        QCOMPARE(report.images, (std::vector<qint64>{12, 4}));
        QCOMPARE(report.unreadable.size(), std::size_t(2));
        QCOMPARE(report.unreadable[0].relativePath, QStringLiteral("dog/cut.jpg"));
        QVERIFY(report.unreadable[0].reason.contains("truncated"));
        QCOMPARE(report.unreadable[1].relativePath, QStringLiteral("dog/fake.png"));
        QCOMPARE(report.widths.min, 8);
        QCOMPARE(report.widths.max, 64);
        QCOMPARE(report.widths.median, 26);
        QCOMPARE(report.heights.max, 48);
        QCOMPARE(report.channels.at(3), 14);
        QVERIFY(report.problems.join("\n").contains("cannot be read"));
        QVERIFY(report.problems.join("\n").contains("'dog' has only 4"));
        const QJsonObject json = report.toJson();
        QCOMPARE(json["unreadable"].toArray().size(), 2);
        QCOMPARE(json["images_per_class"].toArray()[1].toObject()["images"].toInt(), 4);
        QCOMPARE(json["width"].toObject()["median"].toInt(), 26);
        QVERIFY(json.contains("split"));
        QVERIFY(report.toText().contains("dog/cut.jpg"));
    }

    void reportCancels()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 4; ++i) {
            writeImage(dir.filePath(QStringLiteral("a/%1.png").arg(i)));
            writeImage(dir.filePath(QStringLiteral("b/%1.png").arg(i)));
        }
        const auto dataset = ImageDataset::open(dir.path());
        QVERIFY(dataset.ok());
        const std::atomic_bool cancel{true};
        const DatasetReport report = DatasetReport::build(*dataset, nullptr, {}, &cancel);
        QVERIFY(report.cancelled);
        QCOMPARE(report.scanned, 0);
    }
};

QTEST_GUILESS_MAIN(TestImageDataset)
#include "test_image_dataset.moc"
