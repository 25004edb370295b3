// TrainingStore: records written atomically and read back; a record still running when its
// server stopped comes back as interrupted; broken and foreign files are skipped and listed.
#include "core/serve/training_store.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace Qt::StringLiterals;

class TestTrainingStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void runningBecomesInterrupted();
    void brokenFilesSkipped();
    void removeAndIds();
};

void TestTrainingStore::roundTrip()
{
    QTemporaryDir dir;
    TrainingStore store(dir.filePath(u"records"_s));
    TrainingRecord r;
    r.uuid = TrainingStore::newUuid();
    r.model = u"m"_s;
    r.date = QDateTime(QDate(2026, 11, 30), QTime(1, 2, 3, 456), Qt::UTC);
    r.finished = r.date.addSecs(90);
    r.args = {{u"epochs"_s, 3}};
    r.status = u"done"_s;
    r.state = u"done"_s;
    r.progress = 1.0;
    r.log = {u"a"_s, u"b"_s};
    r.result = QJsonObject{{u"accuracy"_s, 0.9}};
    r.moduleId = u"made"_s;
    QVERIFY(store.save(r).ok());

    TrainingStore again(store.directory());
    QCOMPARE(again.load(), 1);
    const TrainingRecord *back = again.find(r.uuid);
    QVERIFY(back);
    QCOMPARE(back->model, r.model);
    QCOMPARE(back->date, r.date);
    QCOMPARE(back->finished, r.finished);
    QCOMPARE(back->args, r.args);
    QCOMPARE(back->status, r.status);
    QCOMPARE(back->log, r.log);
    QCOMPARE(back->result, r.result);
    QCOMPARE(back->moduleId, r.moduleId);
    QCOMPARE(back->toJson().value(u"duration_seconds"_s).toDouble(), 90.0);
}

void TestTrainingStore::runningBecomesInterrupted()
{
    QTemporaryDir dir;
    TrainingStore store(dir.path());
    TrainingRecord r;
    r.uuid = TrainingStore::newUuid();
    r.model = u"m"_s;
    r.date = QDateTime::currentDateTimeUtc();
    r.jobId = u"job"_s;
    QVERIFY(store.save(r).ok());
    QVERIFY(!r.isFinished());

    TrainingStore again(dir.path());
    QCOMPARE(again.load(), 1);
    const TrainingRecord *back = again.find(r.uuid);
    QCOMPARE(back->status, u"error"_s);
    QCOMPARE(back->state, u"interrupted"_s);
    QVERIFY(back->message.contains(u"interrupted"_s));
    QVERIFY(back->jobId.isEmpty());
    // When it stopped is not known: no finish_date (it used to be the time of the restart).
    QVERIFY(!back->finished.isValid());
    QVERIFY(!back->toJson().contains(u"finish_date"_s));
    // And it stays so on disk.
    TrainingStore third(dir.path());
    QCOMPARE(third.load(), 1);
    QCOMPARE(third.find(r.uuid)->state, u"interrupted"_s);
}

void TestTrainingStore::brokenFilesSkipped()
{
    QTemporaryDir dir;
    QFile junk(dir.filePath(u"0123456789abcdef0123456789abcdef.json"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("{ truncated");
    junk.close();
    QFile foreign(dir.filePath(u"notes.json"_s));
    QVERIFY(foreign.open(QIODevice::WriteOnly));
    foreign.write(R"({"uuid": "../../etc"})");
    foreign.close();
    TrainingStore store(dir.path());
    QCOMPARE(store.load(), 0);
    QCOMPARE(store.problems().size(), 2);
}

void TestTrainingStore::removeAndIds()
{
    QTemporaryDir dir;
    TrainingStore store(dir.path());
    TrainingRecord bad;
    bad.uuid = u"../escape"_s;
    QVERIFY(!store.save(bad).ok());
    QVERIFY(!QFile::exists(dir.filePath(u"../escape.json"_s)));
    TrainingRecord r;
    r.uuid = TrainingStore::newUuid();
    QCOMPARE(r.uuid.size(), 32);
    QVERIFY(store.save(r).ok());
    QVERIFY(store.remove(r.uuid).ok());
    QVERIFY(!store.find(r.uuid));
    QVERIFY(!QFile::exists(dir.filePath(r.uuid + u".json"_s)));
    QVERIFY(!store.remove(r.uuid).ok());
}

QTEST_GUILESS_MAIN(TestTrainingStore)
#include "test_training_store.moc"
