// The deepwb command line, run as a user would: exit codes, --json output, --catalog.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

QByteArray goodManifest(const QString &id, const QString &task = QStringLiteral("time-series"))
{
    return QJsonDocument(QJsonObject{{"id", id},
                                     {"version", "1.0.0"},
                                     {"title", "Module " + id},
                                     {"summary", "A test module"},
                                     {"description", "Made by test_cli."},
                                     {"keywords", QJsonArray{"test", "river"}},
                                     {"license", "MIT"},
                                     {"date_creation", "2026-01-02"},
                                     {"task", task},
                                     {"architecture", "lstm"}})
        .toJson();
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString catalogDir() const { return m_home.filePath("catalog"); }

    Run deepwb(const QStringList &args, const QString &catalog = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DEEPWB_CATALOG", catalog.isEmpty() ? catalogDir() : catalog);
        env.insert("HOME", m_home.path());
        env.insert("XDG_DATA_HOME", m_home.filePath("xdg"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        Run run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            qWarning() << "deepwb" << args << "did not finish";
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY(QFile::exists(QStringLiteral(DW_BIN_DIR "/deepwb")));
        // The lists here are the test's modules and the templates; the shipped demo modules have
        // their own suite (test_cli_demo_modules). deepwb inherits the variable.
        qputenv("DEEPWB_DEMO_MODULES", QByteArray());
        writeFile(catalogDir() + "/nile-flow/module.json", goodManifest("nile-flow"));
        writeFile(catalogDir() + "/broken/module.json", "{ \"id\": \"broken\", \"title\": ");
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("no command") << QStringList{} << 2 << "Usage";
        QTest::newRow("help") << QStringList{"--help"} << 0 << "";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command 'frobnicate'";
        QTest::newRow("catalog without subcommand") << QStringList{"catalog"} << 2 << "needs a subcommand";
        QTest::newRow("unknown subcommand") << QStringList{"catalog", "burn"} << 2 << "unknown subcommand";
        QTest::newRow("unknown option") << QStringList{"catalog", "list", "--bogus"} << 2 << "bogus";
        QTest::newRow("missing argument") << QStringList{"catalog", "show"} << 2 << "takes 1 argument";
        QTest::newRow("extra argument") << QStringList{"catalog", "show", "a", "b"} << 2 << "takes 1 argument";
        QTest::newRow("subcommand help") << QStringList{"catalog", "export", "--help"} << 0 << "";
        QTest::newRow("unknown module") << QStringList{"catalog", "show", "no-such-module"} << 1
                                        << "no module 'no-such-module'";
        QTest::newRow("export unknown module")
            << QStringList{"catalog", "export", "no-such", "/tmp/x.dwm"} << 1 << "no module 'no-such'";
        QTest::newRow("validate missing path")
            << QStringList{"catalog", "validate", "/no/such/dir"} << 1 << "does not exist";
        QTest::newRow("import not an archive")
            << QStringList{"catalog", "import", QStringLiteral(DW_TEST_DATA_DIR "/../test_cli.cpp")} << 1
            << "test_cli.cpp";
        QTest::newRow("import-deep missing file")
            << QStringList{"catalog", "import-deep", "/no/such/metadata.json"} << 1 << "cannot read";
        QTest::newRow("version") << QStringList{"--version"} << 0 << "";
        QTest::newRow("plugins") << QStringList{"plugins"} << 0 << "";
        QTest::newRow("devices") << QStringList{"devices"} << 0 << "";
        QTest::newRow("bad device") << QStringList{"devices", "--device", "tpu"} << 1 << "tpu";
    }

    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, stderrHas);
        const Run run = deepwb(args);
        QCOMPARE(run.exitCode, code);
        if (!stderrHas.isEmpty())
            QVERIFY2(QString::fromUtf8(run.err).contains(stderrHas), run.err.constData());
        if (code != 0)
            QVERIFY2(run.err.startsWith("deepwb: error:") || run.err.startsWith("Usage"), run.err.constData());
    }

    void listJsonHasTheTemplates()
    {
        const Run run = deepwb({"catalog", "list", "--json"});
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QHash<QString, QString> taskOf;
        QHash<QString, bool> validOf;
        for (const QJsonValue &m : doc.object().value("modules").toArray()) {
            taskOf.insert(m["id"].toString(), m["task"].toString());
            validOf.insert(m["id"].toString(), m["valid"].toBool());
        }
        QCOMPARE(taskOf.value("image-classifier"), QString("image-classification"));
        QCOMPARE(taskOf.value("satellite-super-resolution"), QString("super-resolution"));
        QCOMPARE(taskOf.value("time-series-forecaster"), QString("time-series"));
        QVERIFY(validOf.value("nile-flow"));
        QVERIFY(validOf.contains("broken"));
        QVERIFY(!validOf.value("broken"));
    }

    void listFilters()
    {
        const Run run = deepwb({"catalog", "list", "--json", "--task", "time-series", "--valid-only"});
        QCOMPARE(run.exitCode, 0);
        QStringList ids;
        for (const QJsonValue &m : run.json().value("modules").toArray())
            ids << m["id"].toString();
        ids.sort();
        QCOMPARE(ids, (QStringList{"nile-flow", "time-series-forecaster"}));

        const Run search = deepwb({"catalog", "list", "--json", "--search", "SENTINEL"});
        QCOMPARE(search.json().value("modules").toArray().size(), 1);
        QCOMPARE(search.json().value("modules").toArray().first()["id"].toString(),
                 QString("satellite-super-resolution"));
    }

    void catalogOptionOverridesEnvironment()
    {
        QTemporaryDir other;
        writeFile(other.filePath("only-here/module.json"), goodManifest("only-here"));
        const Run run = deepwb({"catalog", "list", "--json", "--catalog", other.path()});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json().value("catalog").toString(), other.path());
        QStringList ids;
        for (const QJsonValue &m : run.json().value("modules").toArray())
            ids << m["id"].toString();
        QVERIFY(ids.contains("only-here"));
        QVERIFY(!ids.contains("nile-flow"));
    }

    void showPrintsTheManifest()
    {
        const Run run = deepwb({"catalog", "show", "image-classifier", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject manifest = run.json().value("manifest").toObject();
        QCOMPARE(manifest.value("task").toString(), QString("image-classification"));
        QCOMPARE(manifest.value("title").toString(), QString("Image classifier"));
        QVERIFY(run.json().value("built_in").toBool());

        const Run text = deepwb({"catalog", "show", "nile-flow"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("Module nile-flow"));
        QVERIFY(text.out.contains("time-series"));
    }

    void validate()
    {
        const Run good = deepwb({"catalog", "validate", catalogDir() + "/nile-flow", "--json"});
        QCOMPARE(good.exitCode, 0);
        QVERIFY(good.json().value("valid").toBool());

        const Run bad = deepwb({"catalog", "validate", catalogDir() + "/broken/module.json", "--json"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(!bad.json().value("valid").toBool());
        QVERIFY(!bad.json().value("problems").toArray().isEmpty());
    }

    void importDeepMetadata()
    {
        QTemporaryDir dir;
        const QString metadata = dir.filePath("metadata.json");
        writeFile(metadata, QJsonDocument(QJsonObject{
                                              {"Title", "Plankton classifier"},
                                              {"summary", "Classify plankton images"},
                                              {"description", QJsonArray{"Line one.", "Line two."}},
                                              {"keywords", QJsonArray{"image classification", "tensorflow"}},
                                              {"license", "MIT"},
                                              {"date_creation", "2019-02-11"},
                                              {"some_future_field", 42},
                                          })
                                .toJson());
        const QString catalog = dir.filePath("cat");
        const Run run =
            deepwb({"catalog", "import-deep", metadata, "--json", "--task", "image-classification", "--id", "plankton"},
                   catalog);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value("id").toString(), QString("plankton"));

        const Run show = deepwb({"catalog", "show", "plankton", "--json"}, catalog);
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(show.json().value("manifest").toObject().value("title").toString(), QString("Plankton classifier"));

        const Run again =
            deepwb({"catalog", "import-deep", metadata, "--task", "image-classification", "--id", "plankton"}, catalog);
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("already in the catalog"));
    }

    void exportAndImportRoundTrip()
    {
        QTemporaryDir dir;
        const QString archive = dir.filePath("nile.dwm");
        const Run exported = deepwb({"catalog", "export", "nile-flow", archive, "--json"});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY(QFileInfo(archive).size() > 0);

        const QString other = dir.filePath("colleague");
        const Run imported = deepwb({"catalog", "import", archive, "--json"}, other);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QCOMPARE(imported.json().value("id").toString(), QString("nile-flow"));

        const Run show = deepwb({"catalog", "show", "nile-flow", "--json"}, other);
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(show.json().value("manifest").toObject().value("title").toString(), QString("Module nile-flow"));

        // A built-in template exports too (it is read from the application's resources).
        const Run builtIn = deepwb({"catalog", "export", "time-series-forecaster", dir.filePath("t.dwm")});
        QVERIFY2(builtIn.exitCode == 0, builtIn.err.constData());
    }

    void devicesJson()
    {
        const Run run = deepwb({"devices", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray devices = run.json().value("devices").toArray();
        QVERIFY(!devices.isEmpty());
        QCOMPARE(devices.first()["id"].toString(), QString("cpu"));
        QVERIFY(devices.first()["memory_bytes"].toDouble() > 0);
        QVERIFY(!run.json().value("selected").toString().isEmpty());
        const bool cuda = run.json().value("selected").toString().startsWith("cuda");
        const Run forced = deepwb({"devices", "--device", "cuda"});
        QCOMPARE(forced.exitCode, cuda ? 0 : 1);
        if (!cuda)
            QVERIFY(forced.err.contains("--device cpu"));
    }

    void pluginsAndVersionJson()
    {
        const Run plugins = deepwb({"plugins", "--json"});
        QCOMPARE(plugins.exitCode, 0);
        QVERIFY(plugins.json().value("plugins").isArray());
        QVERIFY(plugins.json().value("search_paths").toArray().size() >= 1);

        const Run version = deepwb({"--version", "--json"});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.json().value("workbench").toString(), QString(DW_VERSION_STRING));
        QVERIFY(!version.json().value("libtorch").toString().isEmpty());
        QVERIFY(!version.json().value("gdal").toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
