// The demo modules (core/catalog/demo_modules.h): where they are found, and that a catalog
// lists them as trained, valid, read-only demos beside the templates - the three shipped in
// resources/demo-modules by scripts/make-demo-modules.sh.
#include "core/catalog/catalog.h"
#include "core/catalog/catalog_json.h"
#include "core/catalog/demo_modules.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;

namespace {
const QStringList kDemoIds{"fashion-mnist-demo", "landsat-x2-demo", "sunspots-demo"};

// Sets an environment variable for the scope of a test function, restoring what was there.
class ScopedVariable {
public:
    ScopedVariable(const char *name, const QByteArray &value)
        : m_name(name), m_wasSet(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedVariable()
    {
        if (m_wasSet)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_wasSet;
    QByteArray m_old;
};
}  // namespace

class TestDemoModules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("DEEPWB_DEMO_MODULES");
        qunsetenv("DEEPWB_DEMO_SAMPLES");
    }

    void foundInTheSourceTreeWhenNotInstalled()
    {
        // The test binary is not installed, so the source tree's folders are the ones found.
        QCOMPARE(demoModulesDirectory(),
                 QFileInfo(QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules")).canonicalFilePath());
        QCOMPARE(demoSamplesDirectory(),
                 QFileInfo(QStringLiteral(DW_SOURCE_DIR "/resources/demo-samples")).canonicalFilePath());
    }

    void variableChoosesOrDisables()
    {
        QTemporaryDir elsewhere;
        {
            ScopedVariable chosen("DEEPWB_DEMO_MODULES", elsewhere.path().toUtf8());
            QCOMPARE(demoModulesDirectory(), QDir::cleanPath(elsewhere.path()));
        }
        {
            ScopedVariable none("DEEPWB_DEMO_MODULES", QByteArray());
            QVERIFY(demoModulesDirectory().isEmpty());
            QTemporaryDir user;
            Catalog catalog(user.path());
            catalog.scan();
            for (const QString &id : kDemoIds)
                QVERIFY2(!catalog.find(id), qPrintable(id));
            QVERIFY(catalog.find(QStringLiteral("image-classifier")));  // the templates stay
        }
    }

    void catalogListsTrainedReadOnlyDemos()
    {
        QTemporaryDir user;
        Catalog catalog(user.path());
        catalog.scan();
        for (const QString &id : kDemoIds) {
            const CatalogEntry *entry = catalog.find(id);
            QVERIFY2(entry, qPrintable(id + " is not in the catalog"));
            QVERIFY2(entry->isValid(),
                     qPrintable(id + ": " + (entry->problems.isEmpty() ? QString() : entry->problems.first().text())));
            QVERIFY2(!entry->manifest.isTemplate(), qPrintable(id));
            QVERIFY(entry->builtIn);
            QVERIFY(isDemo(*entry));
            QVERIFY(catalogEntryToJson(*entry, true).value(QStringLiteral("demo")).toBool());
            QVERIFY2(QFileInfo::exists(entry->path + QStringLiteral("/weights.pt")), qPrintable(id));
            QVERIFY(!entry->manifest.metrics.isEmpty());
            // Read-only: the catalog refuses to delete it.
            QVERIFY(!catalog.remove(id).ok());
            QVERIFY(QFileInfo::exists(entry->path + QStringLiteral("/module.json")));
        }
        // The templates are built in but no demos.
        const CatalogEntry *templ = catalog.find(QStringLiteral("image-classifier"));
        QVERIFY(templ && templ->builtIn && !isDemo(*templ));
    }

    void usersModuleOfTheSameIdShadowsTheDemo()
    {
        QTemporaryDir user;
        Catalog catalog(user.path());
        catalog.scan();
        const CatalogEntry *demo = catalog.find(QStringLiteral("sunspots-demo"));
        QVERIFY(demo);
        QVERIFY(QDir().mkpath(user.path() + QStringLiteral("/sunspots-demo")));
        QVERIFY(QFile::copy(demo->path + QStringLiteral("/module.json"),
                            user.path() + QStringLiteral("/sunspots-demo/module.json")));
        catalog.scan();
        const CatalogEntry *mine = catalog.find(QStringLiteral("sunspots-demo"));
        QVERIFY(mine);
        QVERIFY(!mine->builtIn);
        QVERIFY(!isDemo(*mine));
    }

    void samplesShipWithTheirLicences()
    {
        const QDir samples(demoSamplesDirectory());
        QVERIFY(samples.exists(QStringLiteral("README.md")));
        QCOMPARE(samples.entryList({QStringLiteral("*.png")}, QDir::Files).size(), 0);
        const QDir fashion(samples.filePath(QStringLiteral("fashion-mnist")));
        const QStringList classes = fashion.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(classes.size(), 10);
        for (const QString &name : classes)
            QCOMPARE(QDir(fashion.filePath(name)).entryList({QStringLiteral("*.png")}, QDir::Files).size(), 8);
        QVERIFY(samples.exists(QStringLiteral("sunspot_month.csv")));
        QVERIFY(samples.exists(QStringLiteral("landsat7-held-out-rows.tif")));
    }
};

QTEST_GUILESS_MAIN(TestDemoModules)
#include "test_demo_modules.moc"
