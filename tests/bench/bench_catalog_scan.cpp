// Scans a generated catalog of 1,000 modules (plus the built-ins) and prints the median
// time of a few scans. Target: under a second, so that opening the catalog never stalls.
#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

namespace {

constexpr int kModules = 1000;
constexpr int kRepetitions = 5;

// Manifests of a realistic size (a Markdown description, labels, metrics), 1 in 50 broken.
bool generate(const QString &root)
{
    const QString description = QStringLiteral("# Module\n\nA generated module for the scan benchmark. ").repeated(20);
    QJsonArray labels;
    for (int i = 0; i < 20; ++i)
        labels.append(QStringLiteral("class-%1").arg(i));
    const QStringList tasks = dw::knownTasks();
    for (int i = 0; i < kModules; ++i) {
        const QString folder = QDir(root).filePath(QStringLiteral("module-%1").arg(i, 4, 10, QLatin1Char('0')));
        if (i % 50 == 49) {
            QDir().mkpath(folder);  // broken: no module.json
            continue;
        }
        dw::ModuleManifest m;
        m.id = QStringLiteral("module-%1").arg(i);
        m.title = QStringLiteral("Generated module %1").arg(i);
        m.summary = QStringLiteral("Benchmark module number %1").arg(i);
        m.description = description;
        m.keywords = {QStringLiteral("benchmark"), QStringLiteral("generated"), QStringLiteral("group-%1").arg(i % 10)};
        m.license = QStringLiteral("MIT");
        m.dateCreation = QStringLiteral("2026-01-01");
        m.task = tasks.at(i % tasks.size());
        m.architecture = QStringLiteral("resnet18");
        m.labels = QStringList();
        for (const QJsonValue &label : labels)
            m.labels << label.toString();
        m.metrics = QJsonObject{{QStringLiteral("top1"), 0.9}, {QStringLiteral("top5"), 0.99}};
        m.hyperParameters = QJsonObject{{QStringLiteral("epochs"), 20}, {QStringLiteral("batch-size"), 64}};
        if (!dw::writeManifest(m, folder).ok())
            return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    if (!dir.isValid() || !generate(dir.path())) {
        out << "bench_catalog_scan: cannot generate the catalog in " << dir.path() << "\n";
        return 1;
    }
    QList<double> times;
    qsizetype entries = 0;
    qsizetype invalid = 0;
    for (int r = 0; r < kRepetitions; ++r) {
        dw::Catalog catalog(dir.path(), true);
        QElapsedTimer timer;
        timer.start();
        catalog.scan();
        times << double(timer.nsecsElapsed()) / 1e6;
        entries = catalog.entries().size();
        invalid = std::count_if(catalog.entries().begin(), catalog.entries().end(),
                                [](const dw::CatalogEntry &e) { return !e.isValid(); });
    }
    std::sort(times.begin(), times.end());
    const double median = times.at(times.size() / 2);
    out << "catalog scan: " << kModules << " module folders (+ built-ins) -> " << entries << " entries, " << invalid
        << " invalid\n";
    out << "catalog scan: median " << QString::number(median, 'f', 1) << " ms over " << kRepetitions << " runs (min "
        << QString::number(times.first(), 'f', 1) << ", max " << QString::number(times.last(), 'f', 1)
        << "); target < 1000 ms: " << (median < 1000.0 ? "met" : "MISSED") << "\n";
    return median < 1000.0 ? 0 : 2;
}
