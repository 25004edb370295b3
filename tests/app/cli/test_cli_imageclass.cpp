// deepwb's image classification commands run as a user would, on a tiny generated dataset of
// coloured shapes: train, catalog listing, evaluate, predict (CSV and JSON), retrain with a
// frozen backbone, and the bad cases (usage errors exit 2, failures exit 1 with a reason).
#include "cli_run.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;

// A 32x32 image of one shape in a random colour at a random place on a random dark background.
cv::Mat shapeImage(const QString &shape, cv::RNG &rng)
{
    cv::Mat image(32, 32, CV_8UC3, cv::Scalar(rng.uniform(0, 60), rng.uniform(0, 60), rng.uniform(0, 60)));
    const cv::Scalar colour(rng.uniform(150, 256), rng.uniform(150, 256), rng.uniform(150, 256));
    const cv::Point c(rng.uniform(12, 20), rng.uniform(12, 20));
    const int r = rng.uniform(6, 10);
    if (shape == u"circle"_s) {
        cv::circle(image, c, r, colour, cv::FILLED);
    } else if (shape == u"square"_s) {
        cv::rectangle(image, c - cv::Point(r, r), c + cv::Point(r, r), colour, cv::FILLED);
    } else if (shape == u"triangle"_s) {
        std::vector<cv::Point> points{c + cv::Point(0, -r), c + cv::Point(-r, r), c + cv::Point(r, r)};
        cv::fillConvexPoly(image, points, colour);
    } else if (shape == u"cross"_s) {
        cv::line(image, c - cv::Point(r, r), c + cv::Point(r, r), colour, 3);
        cv::line(image, c + cv::Point(-r, r), c + cv::Point(r, -r), colour, 3);
    } else {  // ring
        cv::circle(image, c, r, colour, 2);
    }
    return image;
}

void writeShapes(const QString &root, const QStringList &shapes, int perClass, int seed)
{
    cv::RNG rng(seed);
    for (const QString &shape : shapes) {
        QDir().mkpath(root + u'/' + shape);
        for (int i = 0; i < perClass; ++i)
            cv::imwrite(QStringLiteral("%1/%2/%3.png").arg(root, shape).arg(i, 3, 10, QChar(u'0')).toStdString(),
                        shapeImage(shape, rng));
    }
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestCliImageClass : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    Run deepwb(const QStringList &args, int timeoutMs = 120000)
    {
        return dw::test::runDeepwb(args, m_dir.path(), timeoutMs, {{u"DEEPWB_CATALOG"_s, path(u"catalog"_s)}});
    }

    // The train flags every training here shares: tiny, quick, deterministic.
    QStringList quick() const
    {
        return {u"--device"_s, u"cpu"_s,          u"--batch"_s, u"16"_s,   u"--workers"_s,
                u"2"_s,        u"--no-augment"_s, u"--lr"_s,    u"0.003"_s};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QStringLiteral(DW_BIN_DIR "/deepwb")));
        writeShapes(path(u"shapes"_s), {u"circle"_s, u"square"_s, u"triangle"_s}, 30, 1);
        writeShapes(path(u"others"_s), {u"cross"_s, u"ring"_s}, 12, 2);
        writeShapes(path(u"inputs"_s), {u"circle"_s}, 3, 3);
        // A class whose files have Latin-1 names (not UTF-8): invisible to Qt's listing.
        writeShapes(path(u"latin1-names"_s), {u"circle"_s, u"square"_s}, 12, 5);
        QVERIFY(QDir().mkpath(path(u"latin1-names/accents"_s)));
        for (int i = 0; i < 3; ++i) {
            const std::string name = QFile::encodeName(path(u"latin1-names/accents/"_s)).toStdString() + "caf\xe9-" +
                                     std::to_string(i) + ".png";
            cv::RNG rng(static_cast<uint64>(i + 1));
            QVERIFY(cv::imwrite(name, shapeImage(u"circle"_s, rng)));
        }
        writeShapes(path(u"with-broken-class"_s), {u"circle"_s, u"square"_s}, 12, 4);
        QVERIFY(QDir().mkpath(path(u"with-broken-class/broken"_s)));
        for (int i = 0; i < 6; ++i) {
            QFile garbage(path(u"with-broken-class/broken/%1.png"_s.arg(i)));
            QVERIFY(garbage.open(QIODevice::WriteOnly));
            garbage.write("\x89PNG but nothing more");
        }
        QFile bad(path(u"inputs/circle/broken.png"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("this is no PNG");
    }

    void trainSmallCnn()
    {
        const Run run = deepwb(QStringList{u"train"_s, u"image-classification"_s, u"--data"_s, path(u"shapes"_s),
                                           u"--arch"_s, u"smallcnn"_s, u"--epochs"_s, u"2"_s, u"--name"_s, u"shapes"_s,
                                           u"--val-fraction"_s, u"0.2"_s, u"--test-fraction"_s, u"0.2"_s, u"--json"_s} +
                               quick());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"id"_s).toString(), u"shapes"_s);
        QCOMPARE(json.value(u"epochs_run"_s).toInt(), 2);
        QCOMPARE(json.value(u"stopped"_s).toString(), u"completed"_s);
        const QString module = path(u"catalog/shapes"_s);
        QCOMPARE(QDir(json.value(u"module"_s).toString()).canonicalPath(), QDir(module).canonicalPath());
        for (const char *file : {"module.json", "weights.pt", "history.json", "evaluation.json", "predictions.csv"})
            QVERIFY2(QFile::exists(module + u'/' + QLatin1StringView(file)), file);
        const QJsonObject metrics = readJson(module + u"/module.json"_s).value(u"metrics"_s).toObject();
        QVERIFY(metrics.contains(u"test_top1"_s));
        QVERIFY(metrics.value(u"test_top5"_s).toDouble() >= metrics.value(u"test_top1"_s).toDouble());
        // Text mode on a pipe: no bar drawing characters in the log.
        QVERIFY(!run.err.contains('\r'));
    }

    void catalogListsTheModule()
    {
        const Run run = deepwb({u"catalog"_s, u"list"_s, u"--json"_s, u"--catalog"_s, path(u"catalog"_s)});
        QCOMPARE(run.exitCode, 0);
        bool found = false;
        for (const QJsonValue &value : run.json().value(u"modules"_s).toArray()) {
            const QJsonObject module = value.toObject();
            if (module.value(u"id"_s).toString() == u"shapes"_s) {
                found = true;
                QCOMPARE(module.value(u"task"_s).toString(), u"image-classification"_s);
            }
        }
        QVERIFY2(found, run.out.constData());
    }

    void evaluateJson()
    {
        const QString predictions = path(u"eval-predictions.csv"_s);
        const Run run = deepwb({u"evaluate"_s, u"shapes"_s, u"--data"_s, path(u"shapes"_s), u"--json"_s, u"--device"_s,
                                u"cpu"_s, u"--predictions"_s, predictions});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        const double top1 = json.value(u"top1"_s).toDouble(-1), top5 = json.value(u"top5"_s).toDouble(-1);
        QVERIFY(top1 >= 0.0 && top1 <= 1.0);
        QCOMPARE(top5, 1.0);  // three classes: the truth is always among the best five
        QCOMPARE(json.value(u"per_class"_s).toArray().size(), 3);
        const QJsonArray confusion = json.value(u"confusion_matrix"_s).toArray();
        QCOMPARE(confusion.size(), 3);
        qint64 total = 0;
        for (const QJsonValue &row : confusion) {
            QCOMPARE(row.toArray().size(), 3);
            for (const QJsonValue &count : row.toArray())
                total += count.toInteger();
        }
        QCOMPARE(total, qint64(90));  // no split of its own: every image
        QFile csv(predictions);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 91);

        // The human table.
        const Run text = deepwb({u"evaluate"_s, u"shapes"_s, u"--data"_s, path(u"shapes"_s), u"--device"_s, u"cpu"_s});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("PRECISION") && text.out.contains("triangle") && text.out.contains("top-1 accuracy"),
                 text.out.constData());
    }

    void predictCsvAndJson()
    {
        const QString one = path(u"inputs/circle/000.png"_s);
        const Run run = deepwb({u"predict"_s, u"shapes"_s, one, path(u"inputs/circle/001.png"_s), u"--top"_s, u"2"_s,
                                u"--device"_s, u"cpu"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.first(), QByteArray("path,label_1,probability_1,label_2,probability_2"));
        const QList<QByteArray> cells = lines.at(1).split(',');
        QCOMPARE(cells.size(), 5);
        QCOMPARE(QString::fromUtf8(cells.at(0)), one);
        QVERIFY(QStringList({u"circle"_s, u"square"_s, u"triangle"_s}).contains(QString::fromUtf8(cells.at(1))));
        QVERIFY(cells.at(2).toDouble() >= cells.at(4).toDouble());  // rank order
        QVERIFY(cells.at(2).toDouble() <= 1.0 && cells.at(4).toDouble() >= 0.0);

        const Run json =
            deepwb({u"predict"_s, path(u"catalog/shapes"_s), one, u"--format"_s, u"json"_s, u"--device"_s, u"cpu"_s});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonArray predictions = json.json().value(u"predictions"_s).toArray();
        QCOMPARE(predictions.size(), 1);
        QCOMPARE(predictions.first().toObject().value(u"input"_s).toString(), one);
        QCOMPARE(predictions.first().toObject().value(u"labels"_s).toArray().size(), 3);  // top 5 of 3 classes
    }

    void unreadableImageIsSkippedAndReported()
    {
        const Run run = deepwb({u"predict"_s, u"shapes"_s, path(u"inputs"_s), u"--device"_s, u"cpu"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out.trimmed().split('\n').size(), 1 + 3);  // header, the three good images
        QVERIFY(!run.out.contains("broken.png"));
        QVERIFY2(run.err.contains("broken.png"), run.err.constData());
    }

    void retrainFreezeHead()
    {
        const Run run =
            deepwb(QStringList{u"retrain"_s, u"shapes"_s, u"--data"_s, path(u"others"_s), u"--freeze"_s, u"head"_s,
                               u"--epochs"_s, u"1"_s, u"--name"_s, u"shapes-child"_s, u"--json"_s} +
                   quick());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject manifest = readJson(path(u"catalog/shapes-child/module.json"_s));
        QCOMPARE(manifest.value(u"parent"_s).toString(), u"shapes"_s);
        QCOMPARE(manifest.value(u"architecture"_s).toString(), u"smallcnn"_s);
        QCOMPARE(manifest.value(u"labels"_s).toArray().size(), 2);
    }

    // SIGTERM (as a batch scheduler sends; Ctrl-C's SIGINT takes the same path) cancels the
    // training after the current batch, keeping the checkpoint; --resume continues it.
    void cancelAndResume()
    {
        const QStringList args = QStringList{u"train"_s,    u"image-classification"_s,
                                             u"--data"_s,   path(u"shapes"_s),
                                             u"--arch"_s,   u"smallcnn"_s,
                                             u"--epochs"_s, u"6"_s,
                                             u"--name"_s,   u"stopped"_s} +
                                 quick();
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_CATALOG"_s, path(u"catalog"_s));
        env.insert(u"DEEPWB_THREADS"_s, u"2"_s);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        QByteArray err;
        QElapsedTimer clock;
        clock.start();
        while (!err.contains("epoch 1/6:") && process.state() != QProcess::NotRunning && clock.elapsed() < 60000) {
            process.waitForReadyRead(200);
            err += process.readAllStandardError();
        }
        QVERIFY2(err.contains("epoch 1/6:"), err.constData());
        process.terminate();
        QVERIFY(process.waitForFinished(60000));
        err += process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("cancelled") && err.contains("--resume"), err.constData());
        QVERIFY(QFile::exists(path(u"catalog/stopped/checkpoints/last.pt"_s)));

        const Run resumed = deepwb(args + QStringList{u"--resume"_s, u"--json"_s});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(resumed.json().value(u"epochs_run"_s).toInt(), 6);
        QVERIFY(QFile::exists(path(u"catalog/stopped/module.json"_s)));
    }

    // Weights damaged or replaced after the module was written: validate says so, and the
    // module is not used to predict.
    void damagedWeightsAreRefused()
    {
        const QString copy = path(u"catalog/shapes-damaged"_s);
        QVERIFY(QDir().mkpath(copy));
        for (const QString &file : QDir(path(u"catalog/shapes"_s)).entryList(QDir::Files))
            QVERIFY(QFile::copy(path(u"catalog/shapes/"_s) + file, copy + u'/' + file));
        QFile manifest(copy + u"/module.json"_s);
        QVERIFY(manifest.open(QIODevice::ReadWrite));
        QByteArray json = manifest.readAll().replace("\"id\": \"shapes\"", "\"id\": \"shapes-damaged\"");
        manifest.resize(0);
        manifest.write(json);
        manifest.close();
        const Run intact = deepwb({u"catalog"_s, u"validate"_s, copy});
        QVERIFY2(intact.exitCode == 0, intact.out.constData());
        QFile weights(copy + u"/weights.pt"_s);
        QVERIFY(weights.open(QIODevice::ReadWrite));
        const qint64 size = weights.size();
        QVERIFY(weights.resize(size - 100));  // truncated, as by a copy that stopped
        weights.close();
        const Run validate = deepwb({u"catalog"_s, u"validate"_s, copy});
        QCOMPARE(validate.exitCode, 1);
        QVERIFY2(validate.out.contains("checksum"), validate.out.constData());
        const Run predict = deepwb({u"predict"_s, copy, path(u"inputs/circle/000.png"_s)});
        QCOMPARE(predict.exitCode, 1);
        QVERIFY2(predict.err.contains("does not match the checksum"), predict.err.constData());
    }

    void validateLoadsTheNetwork_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("message");
        QTest::newRow("labels") << QByteArray("\"labels\": [") << QByteArray("\"labels\": [\"extra\", ")
                                << u"does not load"_s;
        QTest::newRow("architecture") << QByteArray("\"architecture\": \"smallcnn\"")
                                      << QByteArray("\"architecture\": \"resnet999\"") << u"resnet999"_s;
        QTest::newRow("negative size") << QByteArray("\"size\": [") << QByteArray("\"size\": [-32, 32], \"unused\": [")
                                       << u"inputs.size"_s;
    }

    // A manifest that no longer fits its network: validate loads the module and says why.
    void validateLoadsTheNetwork()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, message);
        const QString copy =
            path(u"catalog/shapes-edited-"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
        QVERIFY(QDir().mkpath(copy));
        for (const QString &file : QDir(path(u"catalog/shapes"_s)).entryList(QDir::Files))
            QVERIFY(QFile::copy(path(u"catalog/shapes/"_s) + file, copy + u'/' + file));
        QFile manifest(copy + u"/module.json"_s);
        QVERIFY(manifest.open(QIODevice::ReadWrite));
        QByteArray json = manifest.readAll();
        QVERIFY2(json.contains(from), json.constData());
        json.replace(from, to);
        manifest.resize(0);
        manifest.write(json);
        manifest.close();
        const Run validate = deepwb({u"catalog"_s, u"validate"_s, copy});
        QVERIFY2(validate.exitCode == 1, validate.out.constData());
        QVERIFY2(validate.out.contains(message.toUtf8()), validate.out.constData());
        QVERIFY(QDir(copy).removeRecursively());
    }

    void badCases_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");  // a fragment of stderr
        const QString data = path(u"shapes"_s);
        QTest::newRow("missing --data") << QStringList{u"train"_s, u"image-classification"_s, u"--name"_s, u"x"_s} << 2
                                        << u"--data"_s;
        QTest::newRow("unknown arch") << QStringList{u"train"_s,  u"image-classification"_s,
                                                     u"--data"_s, data,
                                                     u"--arch"_s, u"vgg16"_s,
                                                     u"--name"_s, u"x"_s}
                                      << 2 << u"--arch"_s;
        QTest::newRow("unknown flag") << QStringList{u"train"_s,   u"image-classification"_s,
                                                     u"--data"_s,  data,
                                                     u"--speed"_s, u"--name"_s,
                                                     u"x"_s}
                                      << 2 << u"speed"_s;
        QTest::newRow("bad name") << QStringList{u"train"_s,  u"image-classification"_s,
                                                 u"--data"_s, data,
                                                 u"--name"_s, u"My Model"_s}
                                  << 2 << u"--name"_s;
        QTest::newRow("class of unreadable images") << QStringList{u"train"_s,    u"image-classification"_s,
                                                                   u"--data"_s,   path(u"with-broken-class"_s),
                                                                   u"--arch"_s,   u"smallcnn"_s,
                                                                   u"--epochs"_s, u"1"_s,
                                                                   u"--name"_s,   u"broken"_s}
                                                    << 1 << u"none of the 6 images of class 'broken' can be read"_s;
        QTest::newRow("class of non-UTF-8 names") << QStringList{u"train"_s,    u"image-classification"_s,
                                                                 u"--data"_s,   path(u"latin1-names"_s),
                                                                 u"--arch"_s,   u"smallcnn"_s,
                                                                 u"--epochs"_s, u"1"_s,
                                                                 u"--name"_s,   u"latin1"_s}
                                                  << 1 << u"holds 3 file(s) such as 'caf\\xe9-"_s;
        QTest::newRow("unknown task") << QStringList{u"train"_s, u"segmentation"_s, u"--data"_s,
                                                     data,       u"--name"_s,       u"x"_s}
                                      << 2 << u"segmentation"_s;
        QTest::newRow("nonexistent data") << QStringList{u"train"_s,    u"image-classification"_s,
                                                         u"--data"_s,   path(u"no-such-folder"_s),
                                                         u"--name"_s,   u"x"_s,
                                                         u"--device"_s, u"cpu"_s}
                                          << 1 << u"no-such-folder"_s;
        QTest::newRow("existing name") << QStringList{u"train"_s,  u"image-classification"_s,
                                                      u"--data"_s, data,
                                                      u"--name"_s, u"shapes"_s}
                                       << 1 << u"already exists"_s;
        QTest::newRow("predict with a template")
            << QStringList{u"predict"_s, u"image-classifier"_s, path(u"inputs"_s)} << 1 << u"template"_s;
        QTest::newRow("unknown module") << QStringList{u"predict"_s, u"no-such-module"_s, path(u"inputs"_s)} << 1
                                        << u"no-such-module"_s;
        QTest::newRow("predict without inputs") << QStringList{u"predict"_s, u"shapes"_s} << 2 << u"argument"_s;
        QTest::newRow("evaluate missing --data") << QStringList{u"evaluate"_s, u"shapes"_s} << 2 << u"--data"_s;
        QTest::newRow("bad format") << QStringList{u"predict"_s, u"shapes"_s, path(u"inputs"_s), u"--format"_s,
                                                   u"xml"_s}
                                    << 2 << u"--format"_s;
        QTest::newRow("retrain bad freeze")
            << QStringList{u"retrain"_s, u"shapes"_s, u"--data"_s, data, u"--freeze"_s, u"most"_s, u"--name"_s, u"y"_s}
            << 2 << u"--freeze"_s;
    }

    void badCases()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run run = deepwb(args);
        QVERIFY2(run.exitCode == exitCode, run.err.constData());
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY2(run.err.contains("deepwb: error: "), run.err.constData());
        QVERIFY(!QFile::exists(path(u"catalog/x/module.json"_s)));
    }
};

QTEST_GUILESS_MAIN(TestCliImageClass)
#include "test_cli_imageclass.moc"
