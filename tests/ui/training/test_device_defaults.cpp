// Lighter training defaults for the CPU from a plugin's plugin.json ("train-defaults-cpu"):
// used on the CPU, never on a GPU, nothing for a plugin that declares none.
#include "ui/training/device_defaults.h"

#include <QJsonDocument>
#include <QTest>

using namespace dw;

namespace {

QJsonObject pluginJson()
{
    return QJsonDocument::fromJson(R"({"task": "super-resolution",
        "train-defaults-cpu": {"why": "Lighter for the CPU.", "values": {"patch": 32, "epochs": 10}}})")
        .object();
}

}  // namespace

class TestDeviceDefaults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void onTheCpu()
    {
        const DeviceDefaults defaults = deviceTrainDefaults(pluginJson(), QStringLiteral("cpu"));
        QCOMPARE(defaults.values.value(QStringLiteral("patch")).toInt(), 32);
        QCOMPARE(defaults.values.value(QStringLiteral("epochs")).toInt(), 10);
        QCOMPARE(defaults.values.size(), 2);
        QCOMPARE(defaults.why, QStringLiteral("Lighter for the CPU."));
    }

    void notOnAGpu_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("cuda") << QStringLiteral("cuda");
        QTest::newRow("second GPU") << QStringLiteral("cuda:1");
    }

    void notOnAGpu()
    {
        QFETCH(QString, device);
        QVERIFY(deviceTrainDefaults(pluginJson(), device).isEmpty());
    }

    void noneDeclared()
    {
        const DeviceDefaults defaults =
            deviceTrainDefaults(QJsonObject{{QStringLiteral("task"), QStringLiteral("x")}}, QStringLiteral("cpu"));
        QVERIFY(defaults.isEmpty());
        QVERIFY(defaults.why.isEmpty());
    }
};

QTEST_MAIN(TestDeviceDefaults)
#include "test_device_defaults.moc"
