// Counts in one form with the noun in the right number: "1 module", "3 modules", "0 of 1
// module" (issue 17: the catalog said "3 module(s)" in one place and "3 modules" in another).
#include "core/util/count_text.h"

#include <QTest>

using namespace dw;

class TestCountText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modules_data()
    {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << qint64(0) << QStringLiteral("0 modules");
        QTest::newRow("one") << qint64(1) << QStringLiteral("1 module");
        QTest::newRow("two") << qint64(2) << QStringLiteral("2 modules");
        QTest::newRow("many") << qint64(1234) << QStringLiteral("1234 modules");
    }

    void modules()
    {
        QFETCH(qint64, n);
        QFETCH(QString, expected);
        QCOMPARE(moduleCountText(n), expected);
    }

    void shownOfTotal_data()
    {
        QTest::addColumn<qint64>("shown");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none of one") << qint64(0) << qint64(1) << QStringLiteral("0 of 1 module");
        QTest::newRow("one of many") << qint64(1) << qint64(6) << QStringLiteral("1 of 6 modules");
        QTest::newRow("some of many") << qint64(2) << qint64(6) << QStringLiteral("2 of 6 modules");
    }

    void shownOfTotal()
    {
        QFETCH(qint64, shown);
        QFETCH(qint64, total);
        QFETCH(QString, expected);
        QCOMPARE(moduleCountText(shown, total), expected);
    }

    void anyNoun()
    {
        QCOMPARE(countText(1, QStringLiteral("class"), QStringLiteral("classes")), QStringLiteral("1 class"));
        QCOMPARE(countText(3, QStringLiteral("class"), QStringLiteral("classes")), QStringLiteral("3 classes"));
    }
};

QTEST_MAIN(TestCountText)
#include "test_count_text.moc"
