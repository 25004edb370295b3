// WeightCache: the folder, import by name and by digest, refusal of wrong files, removal,
// the index's recorded digests and the reuse of torchvision's own download folder.
#include "weights_http_server.h"

#include "core/weights/weight_cache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace dw;
using namespace dw::weights;
using dw::test::FakeWeights;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestWeightCache : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    std::unique_ptr<QTemporaryDir> m_work;  // per test: cache folder, downloads, torch home
    FakeWeights m_tiny;                     // known with its full digest
    FakeWeights m_mini;                     // known by the hash prefix of its name only
    PretrainedWeights m_tinyEntry, m_miniEntry;

    QString cacheFolder() const { return m_work->filePath(QStringLiteral("weights")); }
    QString downloads() const { return m_work->filePath(QStringLiteral("downloads")); }
    QString torchCheckpoints() const { return m_work->filePath(QStringLiteral("torch/hub/checkpoints")); }
    WeightCache cache() const { return WeightCache({m_tinyEntry, m_miniEntry}); }
    QStringList cacheFiles() const
    {
        return QDir(cacheFolder()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    static PretrainedWeights entryFor(const FakeWeights &file, const QString &architecture, bool fullDigest)
    {
        PretrainedWeights w;
        w.architecture = w.torchvisionName = architecture;
        w.variant = QStringLiteral("TEST_V1");
        w.isDefault = true;
        w.fileName = file.fileName(architecture);
        w.officialUrl = QStringLiteral("https://download.pytorch.org/models/") + w.fileName;
        w.sizeBytes = file.bytes.size();
        w.sha256 = fullDigest ? file.sha256 : QString();
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        qputenv("HOME", m_root.filePath(QStringLiteral("home")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_root.filePath(QStringLiteral("cache")).toUtf8());
        m_tiny = FakeWeights::make(300 * 1024 + 7, 1);
        m_mini = FakeWeights::make(2 * 1024 * 1024 + 5, 2);  // more than one read chunk
        m_tinyEntry = entryFor(m_tiny, QStringLiteral("tinynet"), true);
        m_miniEntry = entryFor(m_mini, QStringLiteral("mininet"), false);
    }

    void init()
    {
        m_work = std::make_unique<QTemporaryDir>(m_root.filePath(QStringLiteral("work-XXXXXX")));
        QVERIFY(m_work->isValid());
        qputenv("DEEPWB_WEIGHTS_DIR", cacheFolder().toUtf8());
        qputenv("TORCH_HOME", m_work->filePath(QStringLiteral("torch")).toUtf8());
    }

    void directoryFollowsTheEnvironment()
    {
        QCOMPARE(WeightCache::directory(), cacheFolder());
        QCOMPARE(WeightCache().folder(), cacheFolder());
        qunsetenv("DEEPWB_WEIGHTS_DIR");
        QCOMPARE(WeightCache::directory(), m_root.filePath(QStringLiteral("cache/deep-workbench/weights")));
        qputenv("DEEPWB_WEIGHTS_DIR", cacheFolder().toUtf8());
    }

    void sha256OfReadsTheWholeFile()
    {
        writeFile(downloads() + QStringLiteral("/x.bin"), m_mini.bytes);
        const Result<QString> digest = WeightCache::sha256Of(downloads() + QStringLiteral("/x.bin"));
        QVERIFY(digest.ok());
        QCOMPARE(*digest, m_mini.sha256);
        QVERIFY(!WeightCache::sha256Of(downloads() + QStringLiteral("/missing.bin")).ok());
    }

    void importByName()
    {
        const QString source = downloads() + QLatin1Char('/') + m_tinyEntry.fileName;
        writeFile(source, m_tiny.bytes);
        WeightCache weights = cache();
        const Result<QString> imported = weights.importFile(source);
        QVERIFY2(imported.ok(), qPrintable(imported ? QString() : imported.error().text()));
        QCOMPARE(*imported, cacheFolder() + QLatin1Char('/') + m_tinyEntry.fileName);
        QCOMPARE(contents(*imported), m_tiny.bytes);
        QVERIFY(QFileInfo::exists(source));  // copied, not moved
        QCOMPARE(weights.recordedSha256(m_tinyEntry.fileName), m_tiny.sha256);
        QCOMPARE(weights.cachedPath(m_tinyEntry), std::optional<QString>(*imported));
        QVERIFY(!weights.cachedPath(m_miniEntry).has_value());
        QCOMPARE(cacheFiles(), (QStringList{QStringLiteral("index.json"), m_tinyEntry.fileName}));
        QCOMPARE(int(weights.cachedEntries().size()), 1);
        QCOMPARE(weights.cachedEntries().front().sha256, m_tiny.sha256);
        QVERIFY(weights.cachedEntries().front().source.startsWith(QStringLiteral("file://")));
    }

    void importByDigest_data()
    {
        QTest::addColumn<bool>("mini");
        QTest::newRow("full digest") << false;
        QTest::newRow("hash prefix") << true;
    }
    void importByDigest()
    {
        QFETCH(bool, mini);
        const FakeWeights &file = mini ? m_mini : m_tiny;
        const PretrainedWeights &entry = mini ? m_miniEntry : m_tinyEntry;
        const QString source = downloads() + QStringLiteral("/download (1).pth");  // renamed by a browser
        writeFile(source, file.bytes);
        const Result<QString> imported = cache().importFile(source);
        QVERIFY2(imported.ok(), qPrintable(imported ? QString() : imported.error().text()));
        QCOMPARE(QFileInfo(*imported).fileName(), entry.fileName);
        QCOMPARE(contents(*imported), file.bytes);
        QCOMPARE(cache().recordedSha256(entry.fileName), file.sha256);
    }

    void wrongDigestIsRefused_data()
    {
        QTest::addColumn<bool>("mini");
        QTest::newRow("full digest") << false;
        QTest::newRow("hash prefix") << true;
    }
    void wrongDigestIsRefused()
    {
        QFETCH(bool, mini);
        const PretrainedWeights &entry = mini ? m_miniEntry : m_tinyEntry;
        QByteArray damaged = (mini ? m_mini : m_tiny).bytes;
        damaged.chop(100);  // a download cut short
        const QString found =
            QString::fromLatin1(QCryptographicHash::hash(damaged, QCryptographicHash::Sha256).toHex());
        const QString source = downloads() + QLatin1Char('/') + entry.fileName;
        writeFile(source, damaged);
        const Result<QString> imported = cache().importFile(source);
        QVERIFY(!imported.ok());
        const QString message = imported.error().text();
        QVERIFY2(message.contains(QStringLiteral("is damaged or is not %1").arg(entry.fileName)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("its SHA-256 starts with %1, torchvision's file starts with %2")
                                      .arg(found.left(entry.hashPrefix().size()), entry.hashPrefix())),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("download it again")), qPrintable(message));
        QVERIFY2(cacheFiles().isEmpty(), qPrintable(cacheFiles().join(QLatin1Char(' '))));
        QVERIFY(!cache().cachedPath(entry).has_value());
    }

    void unknownFileListsTheExpectedNames()
    {
        const QString source = downloads() + QStringLiteral("/model.pth");
        writeFile(source, QByteArray("not a weight file"));
        const Result<QString> imported = cache().importFile(source);
        QVERIFY(!imported.ok());
        const QString message = imported.error().text();
        QVERIFY2(
            message.contains(QStringLiteral("expected one of: %1, %2").arg(m_tinyEntry.fileName, m_miniEntry.fileName)),
            qPrintable(message));
        QVERIFY(cacheFiles().isEmpty());
        const Result<QString> missing = cache().importFile(downloads() + QStringLiteral("/nothing.pth"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().text().contains(QStringLiteral("no such file")), qPrintable(missing.error().text()));
    }

    void removeDeletesFileRecordAndPartialDownload()
    {
        writeFile(downloads() + QLatin1Char('/') + m_tinyEntry.fileName, m_tiny.bytes);
        WeightCache weights = cache();
        QVERIFY(weights.importFile(downloads() + QLatin1Char('/') + m_tinyEntry.fileName).ok());
        writeFile(weights.partPathFor(m_miniEntry), m_mini.bytes.left(1000));

        QVERIFY(weights.remove(m_tinyEntry.fileName).ok());
        QVERIFY(!weights.cachedPath(m_tinyEntry).has_value());
        QVERIFY(weights.recordedSha256(m_tinyEntry.fileName).isEmpty());
        QVERIFY(!QFileInfo::exists(weights.pathFor(m_tinyEntry)));

        QVERIFY(weights.remove(QStringLiteral("mininet")).ok());  // ARCH: all its files, partial ones too
        QVERIFY(!QFileInfo::exists(weights.partPathFor(m_miniEntry)));

        const Result<void> again = weights.remove(m_tinyEntry.fileName);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().text().contains(QStringLiteral("is not in the weights folder")),
                 qPrintable(again.error().text()));
        const Result<void> unknown = weights.remove(QStringLiteral("resnet18"));
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().text().contains(QStringLiteral("unknown weights 'resnet18'")),
                 qPrintable(unknown.error().text()));
    }

    void recordedDigestIsTrustedOnlyWhileTheFileIsUnchanged()
    {
        writeFile(downloads() + QLatin1Char('/') + m_tinyEntry.fileName, m_tiny.bytes);
        WeightCache weights = cache();
        const Result<QString> imported = weights.importFile(downloads() + QLatin1Char('/') + m_tinyEntry.fileName);
        QVERIFY(imported.ok());
        QVERIFY(weights.cachedPath(m_tinyEntry).has_value());
        QByteArray damaged = m_tiny.bytes;
        damaged[10] = char(damaged.at(10) ^ 1);
        damaged.append('x');
        writeFile(*imported, damaged);
        QVERIFY(!weights.cachedPath(m_tinyEntry).has_value());
    }

    void fileDroppedIntoTheFolderIsHashedOnceAndRecorded()
    {
        writeFile(cacheFolder() + QLatin1Char('/') + m_miniEntry.fileName, m_mini.bytes);
        WeightCache weights = cache();
        QVERIFY(weights.recordedSha256(m_miniEntry.fileName).isEmpty());
        QCOMPARE(weights.cachedPath(m_miniEntry), std::optional<QString>(weights.pathFor(m_miniEntry)));
        QCOMPARE(weights.recordedSha256(m_miniEntry.fileName), m_mini.sha256);
    }

    void torchHubCheckpointIsReusedReadOnly()
    {
        const QString hubFile = torchCheckpoints() + QLatin1Char('/') + m_tinyEntry.fileName;
        writeFile(hubFile, m_tiny.bytes);
        QCOMPARE(WeightCache::torchHubDirectories().value(0), torchCheckpoints());
        WeightCache weights = cache();
        const std::optional<CachedWeights> found = weights.cached(m_tinyEntry);
        QVERIFY(found.has_value());
        QCOMPARE(found->path, hubFile);
        QVERIFY(found->torchHub);
        QCOMPARE(weights.recordedSha256(m_tinyEntry.fileName), m_tiny.sha256);
        QVERIFY(!QFileInfo::exists(weights.pathFor(m_tinyEntry)));  // not copied

        const Result<void> removed = weights.remove(m_tinyEntry.fileName);
        QVERIFY(!removed.ok());
        QVERIFY2(removed.error().text().contains(QStringLiteral("torchvision's own copy")),
                 qPrintable(removed.error().text()));
        QVERIFY(QFileInfo::exists(hubFile));

        // A damaged file there is not used.
        const QString badHubFile = torchCheckpoints() + QLatin1Char('/') + m_miniEntry.fileName;
        writeFile(badHubFile, m_mini.bytes.left(5000));
        QVERIFY(!weights.cachedPath(m_miniEntry).has_value());
        QVERIFY(QFileInfo::exists(badHubFile));
    }

    void registryCacheStartsEmpty()
    {
        const WeightCache weights;
        QVERIFY(weights.cachedEntries().empty());
        QVERIFY(!weights.cachedPath(*defaultFor(QStringLiteral("resnet18"))).has_value());
        QCOMPARE(weights.known().size(), registry().size());
    }
};

QTEST_GUILESS_MAIN(TestWeightCache)
#include "test_weight_cache.moc"
