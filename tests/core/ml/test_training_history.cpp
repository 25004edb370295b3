// TrainingHistory: JSON and file round trips, replacing and truncating epochs, NaN losses,
// and clear errors for files that are not a history.
#include "core/ml/training_history.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {
EpochRecord record(int epoch, double loss)
{
    EpochRecord r;
    r.epoch = epoch;
    r.trainLoss = loss;
    r.trainAccuracy = 0.5 + epoch * 0.01;
    r.valLoss = loss * 1.1;
    r.valAccuracy = 0.4 + epoch * 0.02;
    r.lr = 0.1 / (epoch + 1);
    r.seconds = 1.25 * epoch;
    r.skipped = epoch % 2;
    return r;
}
}  // namespace

class TestTrainingHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip();
    void fileRoundTrip();
    void replaceAndTruncate();
    void nanLoss();
    void badFiles_data();
    void badFiles();
};

void TestTrainingHistory::jsonRoundTrip()
{
    TrainingHistory history;
    for (int epoch = 1; epoch <= 3; ++epoch)
        history.add(record(epoch, 1.0 / epoch));
    history.setBestEpoch(2);
    history.setStopped(TrainingHistory::stoppedEarly());
    const QJsonObject json = history.toJson();
    QCOMPARE(json.value("epochs"_L1).toArray().size(), 3);
    QCOMPARE(json.value("best_epoch"_L1).toInt(), 2);
    QCOMPARE(json.value("stopped"_L1).toString(), u"early-stopping"_s);
    const QJsonObject first = json.value("epochs"_L1).toArray().at(0).toObject();
    for (const char *key :
         {"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds", "skipped"})
        QVERIFY2(first.contains(QLatin1String(key)), key);
    auto back = TrainingHistory::fromJson(json);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QVERIFY(back.value() == history);
}

void TestTrainingHistory::fileRoundTrip()
{
    QTemporaryDir dir;
    TrainingHistory history;
    history.add(record(1, 2.5));
    history.add(record(2, 1.5));
    history.setBestEpoch(2);
    history.setStopped(TrainingHistory::stoppedCompleted());
    const QString path = dir.filePath(u"history.json"_s);
    QVERIFY(history.save(path).ok());
    auto loaded = TrainingHistory::load(path);
    QVERIFY(loaded.ok());
    QVERIFY(loaded.value() == history);
    QCOMPARE(loaded->epochs().at(1).lr, record(2, 1.5).lr);
}

void TestTrainingHistory::replaceAndTruncate()
{
    TrainingHistory history;
    for (int epoch = 1; epoch <= 4; ++epoch)
        history.add(record(epoch, epoch));
    history.setBestEpoch(4);
    history.truncate(2);
    QCOMPARE(history.epochs().size(), std::size_t(2));
    QCOMPARE(history.bestEpoch(), 0);  // the best epoch was dropped
    history.add(record(2, 9.0));       // replaces epoch 2
    QCOMPARE(history.epochs().size(), std::size_t(2));
    QCOMPARE(history.last()->trainLoss, 9.0);
    QVERIFY(history.record(1));
    QVERIFY(!history.record(3));
}

void TestTrainingHistory::nanLoss()
{
    TrainingHistory history;
    history.add(record(1, std::nan("")));
    auto back = TrainingHistory::fromJson(history.toJson());
    QVERIFY(back.ok());
    QVERIFY(std::isnan(back->epochs().front().trainLoss));
    QCOMPARE(back->epochs().front().valAccuracy, record(1, 0).valAccuracy);
}

void TestTrainingHistory::badFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("word");
    QTest::newRow("not json") << "{epochs"_ba << u"not valid JSON"_s;
    QTest::newRow("no epochs") << "{\"best_epoch\": 1}"_ba << u"epochs"_s;
    QTest::newRow("epoch order") << "{\"epochs\": [{\"epoch\": 2}, {\"epoch\": 1}]}"_ba << u"increase"_s;
    QTest::newRow("not objects") << "{\"epochs\": [3]}"_ba << u"object"_s;
}

void TestTrainingHistory::badFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, word);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"history.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    auto loaded = TrainingHistory::load(path);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.contains(word), qPrintable(loaded.error().message));
    QVERIFY(!TrainingHistory::load(dir.filePath(u"missing.json"_s)).ok());
}

QTEST_GUILESS_MAIN(TestTrainingHistory)
#include "test_training_history.moc"
