// Module ids: which names are ids, and the id a person's name for a module becomes.
#include "core/catalog/module_id.h"

#include <QTest>

using namespace dw;

class TestModuleId : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validIds_data();
    void validIds();
    void idFromName_data();
    void idFromName();
};

void TestModuleId::validIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("fashion-mnist") << true;
    QTest::newRow("dots and underscores") << QStringLiteral("a1.b_c-d") << true;
    QTest::newRow("digit first") << QStringLiteral("2026-run") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("upper case") << QStringLiteral("MyModel") << false;
    QTest::newRow("space") << QStringLiteral("my model") << false;
    QTest::newRow("leading dash") << QStringLiteral("-model") << false;
    QTest::newRow("leading dot") << QStringLiteral(".hidden") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("64 characters") << QString(64, u'a') << true;
    QTest::newRow("65 characters") << QString(65, u'a') << false;
}

void TestModuleId::validIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(isValidModuleId(id), valid);
}

void TestModuleId::idFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("id");
    QTest::newRow("words") << QStringLiteral("My FMNIST test") << QStringLiteral("my-fmnist-test");
    QTest::newRow("accents") << QStringLiteral("Étude n°2 à Zürich") << QStringLiteral("etude-n-2-a-zurich");
    QTest::newRow("runs of signs") << QStringLiteral("  sunspots -- (monthly)!  ")
                                   << QStringLiteral("sunspots-monthly");
    QTest::newRow("kept as is") << QStringLiteral("landsat_sr.v2") << QStringLiteral("landsat_sr.v2");
    QTest::newRow("leading separators") << QStringLiteral("._x") << QStringLiteral("x");
    QTest::newRow("only signs") << QStringLiteral("!!! ???") << QString();
    QTest::newRow("other scripts") << QStringLiteral("日本 model") << QStringLiteral("model");
    QTest::newRow("cut at 64") << (QString(70, u'a')) << QString(64, u'a');
    QTest::newRow("no separator at the cut") << (QString(63, u'a') + QStringLiteral(" b")) << QString(63, u'a');
}

void TestModuleId::idFromName()
{
    QFETCH(QString, name);
    QFETCH(QString, id);
    const QString made = moduleIdFromName(name);
    QCOMPARE(made, id);
    QVERIFY(made.isEmpty() || isValidModuleId(made));
}

QTEST_GUILESS_MAIN(TestModuleId)
#include "test_module_id.moc"
