// ClassifierSetup and transfer learning: which parameters train in each freeze mode and at
// which learning rate; re-training a parent with --freeze head changes only the head and
// records the parent; weights that do not fit the parent's architecture give a clear
// message; and on a small generated case re-training with a frozen backbone beats training
// the same network from scratch.
#include "plugins/imageclass/train/classifier_setup.h"

#include "core/catalog/manifest_io.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"
#include "plugins/imageclass/train/classifier_trainer.h"
#include "shape_images.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::imageclass;
using namespace Qt::StringLiterals;

namespace {

TrainRequest shapesRequest(const QString &data, const QString &moduleDir)
{
    TrainRequest r;
    r.dataPath = data;
    r.moduleDir = moduleDir;
    r.architecture = u"smallcnn"_s;
    r.imageSize = 32;
    r.batchSize = 16;
    r.learningRate = 3e-3;
    r.workers = 2;
    r.seed = 11;
    r.valFraction = 0.2;
    r.testFraction = 0.0;
    return r;
}

std::map<std::string, torch::Tensor> weightsOf(const QString &moduleDir)
{
    std::map<std::string, torch::Tensor> map;
    if (auto entries = readStateDict((moduleDir + u"/weights.pt"_s).toStdString()))
        for (auto &[name, tensor] : *entries)
            map[name] = tensor;
    return map;
}

// The new-classes dataset of the transfer tests, split by folders: few images to train on,
// many to test with. Random colours: only the shape tells the classes apart.
bool writeChildData(const QString &root, int trainPerClass)
{
    const std::vector<test::ShapeClass> classes{{u"round"_s, test::Shape::Circle},
                                                {u"box"_s, test::Shape::Square},
                                                {u"wedge"_s, test::Shape::Triangle},
                                                {u"diamond"_s, test::Shape::Diamond}};
    return test::writeShapeImages(root + u"/train"_s, classes, trainPerClass, 32, 101) &&
           test::writeShapeImages(root + u"/val"_s, classes, 3, 32, 102) &&
           test::writeShapeImages(root + u"/test"_s, classes, 25, 32, 103);
}

}  // namespace

class TestClassifierSetup : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_parent;  // a SmallCNN trained on four shapes
    QString m_child;   // data of two new classes

private Q_SLOTS:
    void initTestCase();
    void freezeModes_data();
    void freezeModes();
    void headRetrainChangesOnlyHead();
    void partialRetrainKeepsEarlyLayers();
    void parentWeightsDoNotFit();
    void headTransferBeatsScratch();
};

void TestClassifierSetup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString data = m_dir.filePath(u"parent-data"_s);
    QVERIFY(test::writeShapeImages(data,
                                   {{u"circle"_s, test::Shape::Circle},
                                    {u"square"_s, test::Shape::Square},
                                    {u"triangle"_s, test::Shape::Triangle},
                                    {u"cross"_s, test::Shape::Cross}},
                                   60, 32, 5));
    m_child = m_dir.filePath(u"child-data"_s);
    QVERIFY(writeChildData(m_child, 3));

    TrainRequest r = shapesRequest(data, m_dir.filePath(u"shapes-parent"_s));
    r.epochs = 6;
    JobContext context;
    const Result<TrainOutcome> parent = trainClassifier(r, context);
    QVERIFY2(parent.ok(), qPrintable(parent.ok() ? QString() : parent.error().text()));
    QVERIFY2(parent->bestValAccuracy > 0.6, qPrintable(QString::number(parent->bestValAccuracy)));
    qInfo("parent: validation accuracy %.3f on four shapes", parent->bestValAccuracy);
    m_parent = parent->moduleDir;
}

void TestClassifierSetup::freezeModes_data()
{
    QTest::addColumn<QString>("freeze");
    QTest::addColumn<bool>("early");  // features.0 trains
    QTest::addColumn<bool>("last");   // features.4 trains
    QTest::addColumn<int>("groups");
    QTest::newRow("head") << u"head"_s << false << false << 1;
    QTest::newRow("partial") << u"partial"_s << false << true << 1;
    QTest::newRow("full") << u"full"_s << true << true << 2;
}

void TestClassifierSetup::freezeModes()
{
    QFETCH(QString, freeze);
    QFETCH(bool, early);
    QFETCH(bool, last);
    QFETCH(int, groups);
    Result<ClassifierModule> parent = readClassifierModule(m_parent);
    QVERIFY(parent.ok());
    torch::manual_seed(1);
    Result<ClassifierSetup> setup = ClassifierSetup::create({"smallcnn", 3, 5, 32}, parent.value(), freeze);
    QVERIFY2(setup.ok(), qPrintable(setup.ok() ? QString() : setup.error().text()));
    QCOMPARE(setup->model()->numClasses(), 5);
    QCOMPARE(setup->isTrainable("features.0.0.weight"), early);
    QCOMPARE(setup->isTrainable("features.4.0.weight"), last);
    QVERIFY(setup->isTrainable("classifier.1.weight"));
    for (const auto &item : setup->model()->named_parameters())
        QCOMPARE(item.value().requires_grad(), setup->isTrainable(item.key()));

    const auto parameterGroups = setup->parameterGroups();
    QCOMPARE(int(parameterGroups.size()), groups);
    if (groups == 2) {  // the backbone learns at a tenth of the rate
        QCOMPARE(parameterGroups[0].name, std::string("backbone"));
        QCOMPARE(parameterGroups[0].lrFactor, 0.1);
        QCOMPARE(parameterGroups[1].lrFactor, 1.0);
    }
    setup->setTrainingMode();
    for (const auto &item : setup->model()->named_modules("", false)) {
        if (item.key() == "features.0.1")  // batch norm of the first block
            QCOMPARE(item.value()->is_training(), early);
        if (item.key() == "features.4.1")
            QCOMPARE(item.value()->is_training(), last);
        if (item.key() == "classifier")
            QVERIFY(item.value()->is_training());
    }
}

void TestClassifierSetup::headRetrainChangesOnlyHead()
{
    TrainRequest r = shapesRequest(m_child, m_dir.filePath(u"head-child"_s));
    r.parentDir = m_parent;
    r.freeze = u"head"_s;
    r.epochs = 2;
    JobContext context;
    const Result<TrainOutcome> child = trainClassifier(r, context);
    QVERIFY2(child.ok(), qPrintable(child.ok() ? QString() : child.error().text()));

    const auto before = weightsOf(m_parent), after = weightsOf(child->moduleDir);
    QVERIFY(!before.empty());
    QCOMPARE(after.size(), before.size());
    int compared = 0;
    for (const auto &[name, tensor] : after) {
        QVERIFY2(before.count(name), name.c_str());
        if (name.rfind("classifier.", 0) == 0) {
            QCOMPARE(tensor.size(0), 4);  // the new head
            continue;
        }
        QVERIFY2(torch::equal(tensor, before.at(name)), name.c_str());  // weights and batch-norm statistics
        ++compared;
    }
    QVERIFY(compared > 10);

    Result<ClassifierModule> module = readClassifierModule(child->moduleDir);
    QVERIFY(module.ok());
    QCOMPARE(module->manifest.parent, u"shapes-parent"_s);
    QCOMPARE(module->labels, QStringList({u"box"_s, u"diamond"_s, u"round"_s, u"wedge"_s}));
    QCOMPARE(module->manifest.hyperParameters.value("freeze"_L1).toString(), u"head"_s);
    QCOMPARE(module->manifest.trainingData.value("train"_L1).toInt(), 12);
    QCOMPARE(module->manifest.trainingData.value("test"_L1).toInt(), 100);
    // the parent's input normalisation is kept
    Result<ClassifierModule> parent = readClassifierModule(m_parent);
    QCOMPARE(module->mean, parent->mean);
}

void TestClassifierSetup::partialRetrainKeepsEarlyLayers()
{
    TrainRequest r = shapesRequest(m_child, m_dir.filePath(u"partial-child"_s));
    r.parentDir = m_parent;
    r.freeze = u"partial"_s;
    r.epochs = 2;
    JobContext context;
    const Result<TrainOutcome> child = trainClassifier(r, context);
    QVERIFY2(child.ok(), qPrintable(child.ok() ? QString() : child.error().text()));
    const auto before = weightsOf(m_parent), after = weightsOf(child->moduleDir);
    QVERIFY(torch::equal(after.at("features.0.0.weight"), before.at("features.0.0.weight")));
    QVERIFY(torch::equal(after.at("features.2.1.running_mean"), before.at("features.2.1.running_mean")));
    QVERIFY(!torch::equal(after.at("features.4.0.weight"), before.at("features.4.0.weight")));
}

void TestClassifierSetup::parentWeightsDoNotFit()
{
    // A parent whose module.json names another network than its weights hold.
    const QString broken = m_dir.filePath(u"broken-parent"_s);
    QVERIFY(QDir().mkpath(broken));
    QVERIFY(QFile::copy(m_parent + u"/weights.pt"_s, broken + u"/weights.pt"_s));
    QFile in(m_parent + u"/module.json"_s);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QJsonObject json = QJsonDocument::fromJson(in.readAll()).object();
    json.insert(u"id"_s, u"broken-parent"_s);
    json.insert(u"architecture"_s, u"resnet18"_s);
    QFile out(broken + u"/module.json"_s);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(json).toJson());
    out.close();

    TrainRequest r = shapesRequest(m_child, m_dir.filePath(u"never"_s));
    r.parentDir = broken;
    r.freeze = u"head"_s;
    r.epochs = 1;
    JobContext context;
    const Result<TrainOutcome> child = trainClassifier(r, context);
    QVERIFY(!child.ok());
    const QString message = child.error().text();
    QVERIFY2(message.contains(u"do not fit"_s) && message.contains(u"resnet18"_s), qPrintable(message));
    QVERIFY2(message.contains(u"missing: "_s) || message.contains(u"unexpected: "_s), qPrintable(message));
}

void TestClassifierSetup::headTransferBeatsScratch()
{
    // The same network, data, seeds and epochs; only the start differs. Averaged over three
    // seeds so that one lucky initialisation cannot decide.
    double transferSum = 0, scratchSum = 0;
    const std::vector<quint64> seeds{1, 2, 3};
    for (quint64 seed : seeds) {
        TrainRequest transfer = shapesRequest(m_child, m_dir.filePath(u"transfer-%1"_s.arg(seed)));
        transfer.parentDir = m_parent;
        transfer.freeze = u"head"_s;
        transfer.epochs = 10;
        transfer.batchSize = 4;
        transfer.learningRate = 1e-2;
        transfer.seed = seed;
        TrainRequest scratch = transfer;
        scratch.moduleDir = m_dir.filePath(u"scratch-%1"_s.arg(seed));
        scratch.parentDir.clear();
        scratch.freeze = u"full"_s;

        JobContext context;
        const Result<TrainOutcome> a = trainClassifier(transfer, context);
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().text()));
        const Result<TrainOutcome> b = trainClassifier(scratch, context);
        QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().text()));
        qInfo("seed %llu: test top-1 on 100 images after training on 12: re-trained head %.3f, from scratch %.3f",
              static_cast<unsigned long long>(seed), a->testTop1, b->testTop1);
        transferSum += a->testTop1;
        scratchSum += b->testTop1;
    }
    const double transfer = transferSum / seeds.size(), scratch = scratchSum / seeds.size();
    qInfo("mean test top-1: re-trained head %.3f, from scratch %.3f (chance 0.25)", transfer, scratch);
    QVERIFY(transfer >= 0.55);
    QVERIFY(transfer >= scratch + 0.15);
}

QTEST_GUILESS_MAIN(TestClassifierSetup)
#include "test_classifier_setup.moc"
