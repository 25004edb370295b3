// Module archives: export -> import round trips, and hostile or damaged archives (made here
// with libarchive's writer) that must be refused with a specific reason, leaving nothing
// behind: no file outside the catalog, no half-imported module, no temporary folder.
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/sysmacros.h>

using namespace dw;

namespace {

struct TestEntry {
    TestEntry() = default;
    TestEntry(QString n, QByteArray d = {}, int t = AE_IFREG, QString l = {}, bool h = false)
        : name(std::move(n)), data(std::move(d)), type(t), link(std::move(l)), hard(h)
    {}
    QString name;
    QByteArray data;
    int type = AE_IFREG;  // AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFIFO
    QString link;         // symbolic link target, or hard link target when hard
    bool hard = false;
};
using Entries = QList<TestEntry>;

QByteArray randomBytes(int size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

QByteArray manifestBytes(const QString &id, const QString &task = QStringLiteral("image-classification"),
                         const QJsonObject &weights = {})
{
    QJsonObject json{{"id", id},
                     {"version", "1.0.0"},
                     {"title", "Module " + id},
                     {"task", task},
                     {"keywords", QJsonArray{"test"}},
                     {"x-unknown", QJsonObject{{"kept", true}}}};
    if (!weights.isEmpty())
        json.insert("weights", weights);
    return QJsonDocument(json).toJson();
}

QString sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A tar.gz with exactly these entries, whatever they are: the writer does not judge.
bool writeTarGz(const QString &path, const Entries &entries)
{
    archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    bool ok = archive_write_open_filename(a, QFile::encodeName(path).constData()) == ARCHIVE_OK;
    for (const TestEntry &e : entries) {
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.toUtf8().constData());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, 0644);
        if (e.hard)
            archive_entry_set_hardlink(entry, e.link.toUtf8().constData());
        else if (e.type == AE_IFLNK)
            archive_entry_set_symlink(entry, e.link.toUtf8().constData());
        else if (e.type == AE_IFCHR)
            archive_entry_set_rdev(entry, makedev(1, 3));
        if (e.type == AE_IFREG && !e.hard)
            archive_entry_set_size(entry, e.data.size());
        ok = ok && archive_write_header(a, entry) == ARCHIVE_OK;
        if (ok && !e.data.isEmpty() && !e.hard)
            ok = archive_write_data(a, e.data.constData(), size_t(e.data.size())) == e.data.size();
        archive_entry_free(entry);
    }
    ok = archive_write_close(a) == ARCHIVE_OK && ok;
    archive_write_free(a);
    return ok;
}

// Every file and folder under root, hidden ones included, relative and sorted.
QStringList everythingUnder(const QString &root)
{
    QStringList found;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        found << QDir(root).relativeFilePath(it.next());
    found.sort();
    return found;
}

// A user module with weights, a sub-folder and a non-ASCII file name.
QString makeModule(const QString &root, const QString &id)
{
    const QString dir = QDir(root).filePath(id);
    const QByteArray weights = randomBytes(300 * 1024, 1);
    writeBytes(dir + "/module.json",
               manifestBytes(id, "image-classification",
                             {{"file", "weights.pt"}, {"format", "torchscript"}, {"sha256", sha256(weights)}}));
    writeBytes(dir + "/weights.pt", weights);
    writeBytes(dir + "/history.json", R"({"loss": [0.9, 0.5, 0.3]})");
    writeBytes(dir + "/notes/readme.md", "# Notes\n");
    writeBytes(dir + QString::fromUtf8("/données.csv"), "a,b\n1,2\n");
    return dir;
}

}  // namespace

Q_DECLARE_METATYPE(TestEntry)
Q_DECLARE_METATYPE(dw::ImportConflict)

class TestModuleArchive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void exportBuiltIn();
    void importFlatLayout();
    void exportRefused_data();
    void exportRefused();
    void exportIntoItsOwnFolderRefused();
    void hostile_data();
    void hostile();
    void damagedFiles_data();
    void damagedFiles();
    void conflict_data();
    void conflict();
    void cancelledImportLeavesNothing();
    void compressionBombRefused();
    void sparseEntryRefused();
    void leftoversOfKilledImportsAreSwept();
};

void TestModuleArchive::roundTrip()
{
    QTemporaryDir tmp;
    const QString source = makeModule(tmp.filePath("catalog-a"), "plant-classifier");
    const QString archiveFile = tmp.filePath("out/plants.dwm");
    QVERIFY(QDir().mkpath(tmp.filePath("out")));
    qint64 lastDone = -1;
    const Result<void> exported = exportModule(source, archiveFile, [&](qint64 done, qint64) {
        lastDone = done;
        return true;
    });
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().text()));
    QVERIFY(lastDone > 300 * 1024);  // progress reached the end of the weights
    QCOMPARE(everythingUnder(tmp.filePath("out")), QStringList{"plants.dwm"});  // no temporary file left

    const QString catalog = tmp.filePath("catalog-b");
    const Result<QString> imported = importModule(archiveFile, catalog);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));
    QCOMPARE(*imported, QDir(catalog).filePath("plant-classifier"));
    QCOMPARE(readManifest(*imported).manifest, readManifest(source).manifest);
    const QStringList files = everythingUnder(source);
    QCOMPARE(everythingUnder(*imported), files);
    for (const QString &file : files)
        if (QFileInfo(QDir(source).filePath(file)).isFile())
            QVERIFY2(readBytes(QDir(source).filePath(file)) == readBytes(QDir(*imported).filePath(file)),
                     qPrintable(file));
    QCOMPARE(QDir(catalog).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{"plant-classifier"});
}

void TestModuleArchive::exportBuiltIn()
{
    QTemporaryDir tmp;
    const QString archiveFile = tmp.filePath("sr.dwm");
    const Result<void> exported = exportModule(":/modules/satellite-super-resolution", archiveFile);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().text()));
    const Result<QString> imported = importModule(archiveFile, tmp.filePath("catalog"));
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));
    QCOMPARE(readManifest(*imported).manifest, readManifest(":/modules/satellite-super-resolution").manifest);
    QCOMPARE(readBytes(*imported + "/module.json"), readBytes(":/modules/satellite-super-resolution/module.json"));
}

void TestModuleArchive::importFlatLayout()
{
    // module.json at the archive's top, as `tar czf x.dwm -C module .` makes it.
    QTemporaryDir tmp;
    QVERIFY(writeTarGz(
        tmp.filePath("flat.dwm"),
        {{"./", {}, AE_IFDIR}, {"./module.json", manifestBytes("flat")}, {"./notes.txt", QByteArray("hi")}}));
    const Result<QString> imported = importModule(tmp.filePath("flat.dwm"), tmp.filePath("catalog"));
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));
    QCOMPARE(everythingUnder(*imported), (QStringList{"module.json", "notes.txt"}));
}

void TestModuleArchive::exportIntoItsOwnFolderRefused()
{
    QTemporaryDir tmp;
    const QString source = makeModule(tmp.filePath("catalog"), "base");
    const QByteArray weights = readBytes(source + "/weights.pt");
    QVERIFY(QDir().mkpath(source + "/notes"));
    for (const QString &target : {source + "/weights.pt", source + "/base.dwm", source + "/notes/base.dwm"}) {
        const Result<void> exported = exportModule(source, target);
        QVERIFY2(!exported.ok(), qPrintable(target));
        QVERIFY2(exported.error().message.contains("inside the module's own folder"),
                 qPrintable(exported.error().message));
    }
    QCOMPARE(readBytes(source + "/weights.pt"), weights);
    QVERIFY(!QFile::exists(source + "/base.dwm"));
    QVERIFY(readManifest(source).isValid());
}

void TestModuleArchive::exportRefused_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<QByteArray>("weights");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("invalid manifest") << manifestBytes("m", "object-detection") << QByteArray()
                                      << "cannot be exported until its problems are fixed:\n  task: unknown task";
    QTest::newRow("damaged weights") << manifestBytes(
                                            "m", "image-classification",
                                            {{"file", "w.pt"}, {"format", "onnx"}, {"sha256", sha256("good")}})
                                     << QByteArray("bad") << "does not match its checksum";
}

void TestModuleArchive::exportRefused()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QByteArray, weights);
    QFETCH(QString, fragment);
    QTemporaryDir tmp;
    QVERIFY(writeBytes(tmp.filePath("m/module.json"), manifest));
    if (!weights.isEmpty())
        QVERIFY(writeBytes(tmp.filePath("m/w.pt"), weights));
    QVERIFY(QDir().mkpath(tmp.filePath("out")));
    const Result<void> exported = exportModule(tmp.filePath("m"), tmp.filePath("out/m.dwm"));
    QVERIFY(!exported.ok());
    QVERIFY2(exported.error().message.contains(fragment), qPrintable(exported.error().message));
    QVERIFY(everythingUnder(tmp.filePath("out")).isEmpty());
}

void TestModuleArchive::hostile_data()
{
    QTest::addColumn<Entries>("entries");
    QTest::addColumn<qint64>("maxEntryBytes");
    QTest::addColumn<qint64>("maxTotalBytes");
    QTest::addColumn<int>("maxEntries");
    QTest::addColumn<QString>("fragment");
    const ArchiveLimits d;
    const TestEntry good{"mod/module.json", manifestBytes("evil")};
    const QString absolute =
        QDir::tempPath() + QStringLiteral("/dw-archive-test-%1").arg(QCoreApplication::applicationPid());

    QTest::newRow("../ entry") << Entries{good, {"../evil.txt", "pwned"}} << d.maxEntryBytes << d.maxTotalBytes
                               << d.maxEntries << "refused entry \"../evil.txt\": its path contains \"..\"";
    QTest::newRow("../ deep inside") << Entries{good, {"mod/../../../evil.txt", "pwned"}} << d.maxEntryBytes
                                     << d.maxTotalBytes << d.maxEntries << "refused entry \"mod/../../../evil.txt\"";
    QTest::newRow("absolute path") << Entries{good, {absolute, "pwned"}} << d.maxEntryBytes << d.maxTotalBytes
                                   << d.maxEntries
                                   << "it has an absolute path and would be written outside the catalog";
    QTest::newRow("symbolic link") << Entries{good, {"mod/passwd", {}, AE_IFLNK, "/etc/passwd"}} << d.maxEntryBytes
                                   << d.maxTotalBytes << d.maxEntries << "it is a symbolic link (to \"/etc/passwd\")";
    QTest::newRow("symbolic link to a folder, then a file through it")
        << Entries{good, {"mod/up", {}, AE_IFLNK, ".."}, {"mod/up/evil.txt", "pwned"}} << d.maxEntryBytes
        << d.maxTotalBytes << d.maxEntries << "refused entry \"mod/up\": it is a symbolic link";
    QTest::newRow("hard link") << Entries{good, {"mod/hard", {}, AE_IFREG, "mod/module.json", true}} << d.maxEntryBytes
                               << d.maxTotalBytes << d.maxEntries << "it is a hard link (to \"mod/module.json\")";
    QTest::newRow("device") << Entries{good, {"mod/null", {}, AE_IFCHR}} << d.maxEntryBytes << d.maxTotalBytes
                            << d.maxEntries << "it is a device file";
    QTest::newRow("fifo") << Entries{good, {"mod/pipe", {}, AE_IFIFO}} << d.maxEntryBytes << d.maxTotalBytes
                          << d.maxEntries << "it is a FIFO";
    QTest::newRow("oversized entry")
        << Entries{good, {"mod/weights.pt", QByteArray(5000, 'w')}} << qint64(1000) << d.maxTotalBytes << d.maxEntries
        << "refused entry \"mod/weights.pt\": it is 5000 bytes, more than the limit of 1000";
    QTest::newRow("too much in all") << Entries{good,
                                                {"mod/a", QByteArray(900, 'a')},
                                                {"mod/b", QByteArray(900, 'b')},
                                                {"mod/c", QByteArray(900, 'c')}}
                                     << qint64(1000) << qint64(2000) << d.maxEntries
                                     << "unpacks to more than 2000 bytes in all";
    QTest::newRow("too many entries") << Entries{good, {"mod/a", "a"}, {"mod/b", "b"}, {"mod/c", "c"}}
                                      << d.maxEntryBytes << d.maxTotalBytes << 3 << "it has more than 3 entries";
    QTest::newRow("no module.json") << Entries{{"mod/readme.txt", "hello"}} << d.maxEntryBytes << d.maxTotalBytes
                                    << d.maxEntries << "the archive holds no module.json";
    QTest::newRow("two top folders") << Entries{{"a/module.json", manifestBytes("a")},
                                                {"b/module.json", manifestBytes("b")}}
                                     << d.maxEntryBytes << d.maxTotalBytes << d.maxEntries
                                     << "neither at its top nor in a single top folder";
    QTest::newRow("invalid manifest")
        << Entries{{"mod/module.json", manifestBytes("evil", "object-detection")}} << d.maxEntryBytes << d.maxTotalBytes
        << d.maxEntries << "the module in the archive is not valid:\n  task: unknown task \"object-detection\"";
    QTest::newRow("manifest not JSON") << Entries{{"mod/module.json", "<html>"}} << d.maxEntryBytes << d.maxTotalBytes
                                       << d.maxEntries << "module.json: the file does not start with '{'";
    QTest::newRow("weights checksum")
        << Entries{{"mod/module.json",
                    manifestBytes("evil", "image-classification",
                                  {{"file", "w.pt"}, {"format", "onnx"}, {"sha256", sha256("good")}})},
                   {"mod/w.pt", "tampered"}}
        << d.maxEntryBytes << d.maxTotalBytes << d.maxEntries
        << "damaged:\n  weights.sha256: the weights file \"w.pt\" does not match its checksum";
}

void TestModuleArchive::hostile()
{
    QFETCH(Entries, entries);
    QFETCH(qint64, maxEntryBytes);
    QFETCH(qint64, maxTotalBytes);
    QFETCH(int, maxEntries);
    QFETCH(QString, fragment);
    QTemporaryDir tmp;
    const QString archiveFile = tmp.filePath("hostile.dwm");
    QVERIFY(writeTarGz(archiveFile, entries));
    const QString catalog = tmp.filePath("sandbox/catalog");
    QVERIFY(QDir().mkpath(catalog));

    const Result<QString> imported = importModule(archiveFile, catalog, {maxEntryBytes, maxTotalBytes, maxEntries});
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains(fragment), qPrintable(imported.error().message));
    // Nothing anywhere in the sandbox: not in the catalog, not beside it, no temporary folder.
    QCOMPARE(everythingUnder(tmp.filePath("sandbox")), QStringList{"catalog"});
    QCOMPARE(everythingUnder(tmp.path()), (QStringList{"hostile.dwm", "sandbox", "sandbox/catalog"}));
    QVERIFY(!QFileInfo::exists(QDir::tempPath() +
                               QStringLiteral("/dw-archive-test-%1").arg(QCoreApplication::applicationPid())));
}

void TestModuleArchive::damagedFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    QTemporaryDir tmp;
    const QByteArray weights = randomBytes(200 * 1024, 2);
    const QJsonObject described{{"file", "weights.bin"}, {"format", "onnx"}, {"sha256", sha256(weights)}};
    writeTarGz(tmp.filePath("good.dwm"),
               {{"m/module.json", manifestBytes("m", "image-classification", described)}, {"m/weights.bin", weights}});
    const QByteArray good = readBytes(tmp.filePath("good.dwm"));
    QTest::newRow("truncated") << good.left(good.size() * 6 / 10) << "is damaged or truncated at \"m/weights.bin\"";
    QByteArray corrupt = good;
    for (qsizetype i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i)
        corrupt[i] = char(~corrupt[i]);
    // Random weights are stored, not compressed, and libarchive does not check gzip's CRC:
    // the flipped bytes arrive silently, and only the manifest's checksum catches them.
    QTest::newRow("corrupt in the middle") << corrupt << "does not match its checksum";
    QTest::newRow("plain text") << QByteArray("This is not an archive, just a note.\n").repeated(50)
                                << "is not a module archive";
    QTest::newRow("random bytes") << randomBytes(16 * 1024, 3) << "is not a module archive";
    QTest::newRow("empty file") << QByteArray() << "is not a module archive (the file is empty)";
}

void TestModuleArchive::damagedFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    QTemporaryDir tmp;
    QVERIFY(writeBytes(tmp.filePath("damaged.dwm"), bytes));
    const QString catalog = tmp.filePath("catalog");
    const Result<QString> imported = importModule(tmp.filePath("damaged.dwm"), catalog);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains(fragment), qPrintable(imported.error().message));
    QVERIFY(everythingUnder(catalog).isEmpty());
}

void TestModuleArchive::conflict_data()
{
    QTest::addColumn<ImportConflict>("onConflict");
    QTest::addColumn<QString>("folder");  // empty: refused
    QTest::addColumn<QString>("id");
    QTest::newRow("refuse") << ImportConflict::Refuse << ""
                            << "";
    QTest::newRow("replace") << ImportConflict::Replace << "m"
                             << "m";
    QTest::newRow("rename") << ImportConflict::Rename << "m-2"
                            << "m-2";
}

void TestModuleArchive::conflict()
{
    QFETCH(ImportConflict, onConflict);
    QFETCH(QString, folder);
    QFETCH(QString, id);
    QTemporaryDir tmp;
    const QString catalog = tmp.filePath("catalog");
    QVERIFY(writeBytes(catalog + "/m/module.json", manifestBytes("m")));
    QVERIFY(writeBytes(catalog + "/m/old.txt", "old"));
    QVERIFY(writeTarGz(tmp.filePath("new.dwm"), {{"m/module.json", manifestBytes("m")}, {"m/new.txt", "new"}}));

    const Result<QString> imported = importModule(tmp.filePath("new.dwm"), catalog, {}, onConflict);
    if (folder.isEmpty()) {
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().field, QStringLiteral("id"));
        QVERIFY2(imported.error().message.contains("a module with the id \"m\" is already in the catalog"),
                 qPrintable(imported.error().message));
        QCOMPARE(everythingUnder(catalog), (QStringList{"m", "m/module.json", "m/old.txt"}));
        return;
    }
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));
    QCOMPARE(*imported, QDir(catalog).filePath(folder));
    QCOMPARE(readManifest(*imported).manifest.id, id);
    QVERIFY(QFileInfo::exists(*imported + "/new.txt"));
    QVERIFY(!QFileInfo::exists(*imported + "/old.txt"));
    // Replace drops the old module; rename keeps it untouched beside the copy.
    QCOMPARE(QFileInfo::exists(catalog + "/m/old.txt"), onConflict == ImportConflict::Rename);
    QCOMPARE(QDir(catalog).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(),
             onConflict == ImportConflict::Rename ? 2 : 1);
}

void TestModuleArchive::cancelledImportLeavesNothing()
{
    QTemporaryDir tmp;
    const QString source = makeModule(tmp.filePath("a"), "big");
    QVERIFY(exportModule(source, tmp.filePath("big.dwm")).ok());
    const QString catalog = tmp.filePath("catalog");
    const Result<QString> imported = importModule(tmp.filePath("big.dwm"), catalog, {}, ImportConflict::Refuse,
                                                  [](qint64, qint64) { return false; });
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains("import cancelled"), qPrintable(imported.error().message));
    QVERIFY(everythingUnder(catalog).isEmpty());
}

// 3 MB that unpack to 1 GiB imported silently under the old limits (8/16 GiB); now an
// archive that unpacks to far more than it weighs is refused as it unpacks.
void TestModuleArchive::compressionBombRefused()
{
    QTemporaryDir tmp;
    const QString archiveFile = tmp.filePath("bomb.dwm");
    QVERIFY(writeTarGz(archiveFile,
                       {{"mod/module.json", manifestBytes("bomb")}, {"mod/zeros.bin", QByteArray(8 << 20, '\0')}}));
    QVERIFY(QFileInfo(archiveFile).size() < 100 * 1024);
    const QString catalog = tmp.filePath("catalog");
    ArchiveLimits limits;
    limits.ratioFloor = 1 << 20;
    const Result<QString> imported = importModule(archiveFile, catalog, limits);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains("compression bomb"), qPrintable(imported.error().message));
    QVERIFY(everythingUnder(catalog).isEmpty());
    // The defaults are sane for modules: a few GiB, not 8/16.
    QVERIFY(ArchiveLimits{}.maxTotalBytes <= (qint64(4) << 30));
}

// A sparse entry (1 GiB of holes) imported as a 0-byte file before: refused now.
void TestModuleArchive::sparseEntryRefused()
{
    QTemporaryDir tmp;
    const QString archiveFile = tmp.filePath("sparse.dwm");
    archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax(a);
    QVERIFY(archive_write_open_filename(a, QFile::encodeName(archiveFile).constData()) == ARCHIVE_OK);
    const QByteArray manifest = manifestBytes("sparse");
    archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname(entry, "mod/module.json");
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, manifest.size());
    QVERIFY(archive_write_header(a, entry) == ARCHIVE_OK);
    QCOMPARE(archive_write_data(a, manifest.constData(), size_t(manifest.size())), la_ssize_t(manifest.size()));
    archive_entry_clear(entry);
    archive_entry_set_pathname(entry, "mod/holes.bin");
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, qint64(1) << 30);
    archive_entry_sparse_add_entry(entry, (qint64(1) << 30) - 4096, 4096);
    QVERIFY(archive_write_header(a, entry) == ARCHIVE_OK);
    const QByteArray tail(4096, 'x');
    archive_write_data(a, tail.constData(), size_t(tail.size()));
    archive_entry_free(entry);
    archive_write_close(a);
    archive_write_free(a);

    const QString catalog = tmp.filePath("catalog");
    const Result<QString> imported = importModule(archiveFile, catalog);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.error().message.contains("sparse") || imported.error().message.contains("header says"),
             qPrintable(imported.error().message));
    QVERIFY(everythingUnder(catalog).isEmpty());
}

// kill -9 during an import leaves its hidden folder; the next import sweeps it, but not the
// folder of an import still running (a live PID in its name).
void TestModuleArchive::leftoversOfKilledImportsAreSwept()
{
    QTemporaryDir tmp;
    const QString catalog = tmp.filePath("catalog");
    QProcess gone;  // its PID, printed by itself: processId() is 0 once a process has ended
    gone.start("/bin/sh", {"-c", "echo $$"});
    QVERIFY(gone.waitForFinished());
    const qint64 deadPid = gone.readAllStandardOutput().trimmed().toLongLong();
    QVERIFY(deadPid > 0);
    const QString dead = catalog + QStringLiteral("/.import-%1-abcdef").arg(deadPid);
    const QString live = catalog + QStringLiteral("/.import-%1-ghijkl").arg(QCoreApplication::applicationPid());
    QVERIFY(writeBytes(dead + "/files/mod/weights.pt", QByteArray(1000, 'w')));
    QVERIFY(writeBytes(live + "/files/mod/weights.pt", QByteArray(1000, 'w')));
    const QString source = makeModule(tmp.filePath("a"), "fresh");
    QVERIFY(exportModule(source, tmp.filePath("fresh.dwm")).ok());
    const Result<QString> imported = importModule(tmp.filePath("fresh.dwm"), catalog);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QVERIFY(!QFileInfo::exists(dead));
    QVERIFY(QFileInfo::exists(live));
}

QTEST_GUILESS_MAIN(TestModuleArchive)
#include "test_module_archive.moc"
