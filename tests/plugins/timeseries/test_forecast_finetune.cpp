// Re-training a forecaster (issue 16): a parent trained on a long seasonal series from one
// "station" is fine-tuned on a short series from another (another level, amplitude and
// phase, a tenth of the rows) and beats a network trained from scratch on that short series
// for the same epochs with the same seed. The figures are printed (qInfo) for the docs. Also:
// the manifest records parent, freeze and the data hash; freeze head moves only the output
// layer; column-map; and the errors when the columns, window or network do not fit.
#include "core/catalog/manifest_io.h"
#include "core/ml/torch/module_weights.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/models/forecaster.h"
#include "plugins/timeseries/train/forecast_freeze.h"
#include "plugins/timeseries/train/forecast_parent.h"
#include "plugins/timeseries/train/forecast_trainer.h"

#include <QDate>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>

#include <cmath>
#include <random>

using namespace dw;
using namespace dw::timeseries;

namespace {

// A station: level + amplitude × (daily cycle of 24 steps with a second harmonic), noise.
struct Station {
    QString column = QStringLiteral("value");
    int rows = 2000;
    double level = 10.0, amplitude = 1.0, phase = 0.0, noise = 0.05;
    unsigned seed = 7;
};

bool writeStation(const QString &path, const Station &s)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    QTextStream out(&file);
    out << "time," << s.column << '\n';
    std::mt19937 rng(s.seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const QDate start(2020, 1, 1);
    for (int t = 0; t < s.rows; ++t) {
        const double x = 2.0 * M_PI * t / 24.0 + s.phase;
        const double value =
            s.level + s.amplitude * (std::sin(x) + 0.5 * std::sin(2.0 * x + 0.7) + s.noise * gauss(rng));
        out << start.addDays(t / 24).toString(Qt::ISODate)
            << QStringLiteral(" %1:00,").arg(t % 24, 2, 10, QLatin1Char('0')) << QString::number(value, 'f', 5) << '\n';
    }
    return true;
}

double maeOf(const ForecastTrainOutcome &o, const QString &target = QStringLiteral("value"))
{
    return o.metrics.value(target).toObject().value(QStringLiteral("mae")).toDouble();
}

double naiveMaeOf(const ForecastTrainOutcome &o, const QString &target = QStringLiteral("value"))
{
    return o.metrics.value(target)
        .toObject()
        .value(QStringLiteral("baselines"))
        .toObject()
        .value(QStringLiteral("naive"))
        .toObject()
        .value(QStringLiteral("mae"))
        .toDouble();
}

std::map<std::string, torch::Tensor> weightsOf(const QString &moduleDir)
{
    std::map<std::string, torch::Tensor> out;
    Result<ForecastModule> module = readForecastModule(moduleDir);
    if (!module)
        return out;
    Result<ForecasterPtr> model = createForecaster(module->network);
    if (!model || !ml::ModuleWeights::load(**model, module->weightsPath(), torch::kCPU))
        return out;
    for (const auto &item : (*model)->named_parameters())
        out[item.key()] = item.value().detach().clone();
    return out;
}

}  // namespace

class TestForecastFinetune : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_parentCsv, m_childCsv, m_parent;

    ForecastTrainRequest request(const QString &csv, const QString &name) const
    {
        ForecastTrainRequest r;
        r.csvPath = csv;
        r.moduleDir = m_dir.filePath(name);
        r.moduleId = name;
        r.targets = {QStringLiteral("value")};
        r.model = QStringLiteral("lstm");
        r.window = 24;
        r.layers = 2;
        r.hidden = 24;
        r.batchSize = 32;
        r.learningRate = 0.01;
        r.patience = 0;
        r.seed = 42;
        return r;
    }

    // The short series of the other station: the same N epochs and seed for every variant.
    ForecastTrainRequest child(const QString &name) const
    {
        ForecastTrainRequest r = request(m_childCsv, name);
        r.epochs = 8;
        r.learningRate = 0.005;
        r.valFraction = 0.2;
        r.testFraction = 0.25;
        return r;
    }

    static ForecastTrainOutcome trained(const ForecastTrainRequest &r)
    {
        JobContext context;
        Result<ForecastTrainOutcome> outcome = trainForecaster(r, context);
        if (!outcome)
            qWarning("%s: %s", qPrintable(r.moduleId), qPrintable(outcome.error().text()));
        return outcome ? *outcome : ForecastTrainOutcome{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(1);
        m_parentCsv = m_dir.filePath(QStringLiteral("station-a.csv"));
        m_childCsv = m_dir.filePath(QStringLiteral("station-b.csv"));
        QVERIFY(writeStation(m_parentCsv, Station{}));
        Station b;
        b.rows = 200;
        b.level = 55.0;
        b.amplitude = 3.0;
        b.phase = 1.3;
        b.seed = 11;
        QVERIFY(writeStation(m_childCsv, b));

        ForecastTrainRequest parent = request(m_parentCsv, QStringLiteral("station-a"));
        parent.epochs = 10;
        const ForecastTrainOutcome outcome = trained(parent);
        QVERIFY(!outcome.moduleDir.isEmpty());
        m_parent = outcome.moduleDir;
        qInfo("parent (2000 rows, %d epochs, %.1f s): test MAE %.4f, naive %.4f", outcome.epochsRun, outcome.seconds,
              maeOf(outcome), naiveMaeOf(outcome));
    }

    void fineTuneBeatsScratch()
    {
        const ForecastTrainOutcome scratch = trained(child(QStringLiteral("b-scratch")));
        ForecastTrainRequest r = child(QStringLiteral("b-full"));
        r.parentDir = m_parent;
        // The defaults of a train request (window 32, 2 layers of 64...) give way to the parent's.
        r.window = ForecastTrainRequest{}.window;
        r.hidden = ForecastTrainRequest{}.hidden;
        const ForecastTrainOutcome full = trained(r);
        r.moduleDir = m_dir.filePath(r.moduleId = QStringLiteral("b-partial"));
        r.freeze = QStringLiteral("partial");
        const ForecastTrainOutcome partial = trained(r);
        r.moduleDir = m_dir.filePath(r.moduleId = QStringLiteral("b-head"));
        r.freeze = QStringLiteral("head");
        const ForecastTrainOutcome head = trained(r);
        r.moduleDir = m_dir.filePath(r.moduleId = QStringLiteral("b-keep"));
        r.freeze = QStringLiteral("full");
        r.parentScaling = QStringLiteral("keep");
        const ForecastTrainOutcome keep = trained(r);
        for (const ForecastTrainOutcome *o : {&scratch, &full, &partial, &head, &keep})
            QVERIFY(!o->moduleDir.isEmpty());

        qInfo("station B (200 rows: %lld training windows, %lld test rows), 8 epochs, seed 42:", scratch.trainWindows,
              scratch.testRows);
        qInfo("  naive persistence          test MAE %.4f", naiveMaeOf(scratch));
        qInfo("  from scratch               test MAE %.4f (%.1f s)", maeOf(scratch), scratch.seconds);
        qInfo("  fine-tuned, freeze full    test MAE %.4f (%.1f s)", maeOf(full), full.seconds);
        qInfo("  fine-tuned, freeze partial test MAE %.4f", maeOf(partial));
        qInfo("  fine-tuned, freeze head    test MAE %.4f", maeOf(head));
        qInfo("  fine-tuned, parent's scaling kept (freeze full) test MAE %.4f", maeOf(keep));
        qInfo("  fine-tune (full, refit) vs scratch: %.1f %% lower MAE", 100.0 * (1.0 - maeOf(full) / maeOf(scratch)));
        // The default (refit, full) must beat scratch clearly, and refit must beat keep.
        QVERIFY2(maeOf(full) < 0.7 * maeOf(scratch),
                 qPrintable(QStringLiteral("%1 vs %2").arg(maeOf(full)).arg(maeOf(scratch))));
        QVERIFY2(maeOf(head) < maeOf(scratch),
                 qPrintable(QStringLiteral("%1 vs %2").arg(maeOf(head)).arg(maeOf(scratch))));
        QVERIFY2(maeOf(full) < maeOf(keep), qPrintable(QStringLiteral("%1 vs %2").arg(maeOf(full)).arg(maeOf(keep))));

        // The manifest: parent, freeze, the data hash; the parent's network.
        Result<ForecastModule> module = readForecastModule(m_dir.filePath(QStringLiteral("b-head")));
        QVERIFY2(module.ok(), module.ok() ? "" : qPrintable(module.error().text()));
        QCOMPARE(module->manifest.parent, QStringLiteral("station-a"));
        QCOMPARE(module->manifest.hyperParameters.value(QStringLiteral("freeze")).toString(), QStringLiteral("head"));
        QCOMPARE(module->manifest.trainingData.value(QStringLiteral("sha256")).toString(), *sha256OfFile(m_childCsv));
        QCOMPARE(module->network.window, 24);
        QCOMPARE(module->network.hidden, 24);
        // Freeze head: the recurrent layers are the parent's, bit for bit; the head moved.
        const auto before = weightsOf(m_parent), after = weightsOf(module->directory);
        QVERIFY(!before.empty() && before.size() == after.size());
        for (const auto &[name, tensor] : before) {
            const bool same = torch::equal(tensor, after.at(name));
            QVERIFY2(name.rfind("head.", 0) == 0 ? !same : same, name.c_str());
        }
    }

    void freezeUnits_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QStringList>("learning");  // name prefixes of what learns
        QTest::newRow("lstm head") << "lstm"
                                   << "head" << QStringList{"head."};
        QTest::newRow("lstm partial") << "lstm"
                                      << "partial"
                                      << QStringList{"head.", "lstm.weight_ih_l1", "lstm.weight_hh_l1",
                                                     "lstm.bias_ih_l1", "lstm.bias_hh_l1"};
        QTest::newRow("gru partial") << "gru"
                                     << "partial"
                                     << QStringList{"head.", "gru.weight_ih_l1", "gru.weight_hh_l1", "gru.bias_ih_l1",
                                                    "gru.bias_hh_l1"};
        QTest::newRow("cnn partial") << "cnn"
                                     << "partial" << QStringList{"head.", "convs.2."};
        QTest::newRow("mlp head") << "mlp"
                                  << "head" << QStringList{"layers.4."};
        QTest::newRow("mlp partial") << "mlp"
                                     << "partial" << QStringList{"layers.2.", "layers.4."};
        QTest::newRow("lstm full") << "lstm"
                                   << "full" << QStringList{""};
    }

    void freezeUnits()
    {
        QFETCH(QString, model);
        QFETCH(QString, mode);
        QFETCH(QStringList, learning);
        ForecasterSpec spec;
        spec.kind = model.toStdString();
        spec.window = 8;
        spec.layers = 2;
        spec.hidden = 4;
        Result<ForecasterPtr> net = createForecaster(spec);
        QVERIFY(net.ok());
        QVERIFY(freezeForecaster(**net, mode).ok());
        for (const auto &item : (*net)->named_parameters()) {
            const QString name = QString::fromStdString(item.key());
            const bool learns =
                std::any_of(learning.begin(), learning.end(), [&](const QString &p) { return name.startsWith(p); });
            QVERIFY2(item.value().requires_grad() == learns, qPrintable(name));
        }
        QVERIFY(!freezeForecaster(**net, QStringLiteral("most")).ok());
    }

    void columnMapAndErrors()
    {
        // Station B's file calling its column "level": mapped, it re-trains.
        const QString renamed = m_dir.filePath(QStringLiteral("station-b-level.csv"));
        Station b;
        b.column = QStringLiteral("level");
        b.rows = 200;
        b.level = 55.0;
        b.amplitude = 3.0;
        QVERIFY(writeStation(renamed, b));
        ForecastTrainRequest r = request(renamed, QStringLiteral("b-mapped"));
        r.epochs = 1;
        r.parentDir = m_parent;
        r.targets = {QStringLiteral("level")};
        JobContext context;
        Result<ForecastTrainOutcome> unmapped = trainForecaster(r, context);
        QVERIFY(!unmapped.ok());
        QCOMPARE(unmapped.error().field, QStringLiteral("target"));
        QVERIFY2(unmapped.error().message.contains(QStringLiteral("--column-map")),
                 qPrintable(unmapped.error().message));

        r.columnMap = {QStringLiteral("level=value")};
        Result<ForecastTrainOutcome> mapped = trainForecaster(r, context);
        QVERIFY2(mapped.ok(), mapped.ok() ? "" : qPrintable(mapped.error().text()));
        QCOMPARE(readForecastModule(mapped->moduleDir)->targets, QStringList{QStringLiteral("level")});

        // The parent's name on a file without it: the loader's error, with the hint.
        ForecastTrainRequest missing = r;
        missing.columnMap.clear();
        missing.targets = {QStringLiteral("value")};
        missing.moduleDir = m_dir.filePath(QStringLiteral("b-missing"));
        Result<ForecastTrainOutcome> noColumn = trainForecaster(missing, context);
        QVERIFY(!noColumn.ok());
        QVERIFY2(noColumn.error().message.contains(QStringLiteral("--column-map")),
                 qPrintable(noColumn.error().text()));

        ForecastTrainRequest wrongMap = r;
        wrongMap.columnMap = {QStringLiteral("level=flow")};
        Result<ForecastTrainOutcome> unknown = trainForecaster(wrongMap, context);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().field, QStringLiteral("column-map"));

        ForecastTrainRequest window = r;
        window.window = 48;
        Result<ForecastTrainOutcome> otherWindow = trainForecaster(window, context);
        QVERIFY(!otherWindow.ok());
        QCOMPARE(otherWindow.error().field, QStringLiteral("window"));
        QVERIFY2(otherWindow.error().message.contains(QStringLiteral("24")), qPrintable(otherWindow.error().message));

        ForecastTrainRequest model = r;
        model.model = QStringLiteral("cnn");
        Result<ForecastTrainOutcome> otherModel = trainForecaster(model, context);
        QVERIFY(!otherModel.ok());
        QCOMPARE(otherModel.error().field, QStringLiteral("model"));

        ForecastTrainRequest noParent = r;
        noParent.parentDir = m_dir.filePath(QStringLiteral("nothing-here"));
        Result<ForecastTrainOutcome> absent = trainForecaster(noParent, context);
        QVERIFY(!absent.ok());
        QCOMPARE(absent.error().field, QStringLiteral("parent"));

        // Too short for the parent's window of 24.
        const QString tiny = m_dir.filePath(QStringLiteral("tiny.csv"));
        b.rows = 40;
        QVERIFY(writeStation(tiny, b));
        ForecastTrainRequest shortSeries = r;
        shortSeries.csvPath = tiny;
        Result<ForecastTrainOutcome> tooShort = trainForecaster(shortSeries, context);
        QVERIFY(!tooShort.ok());
        QVERIFY2(tooShort.error().message.contains(QStringLiteral("parent's window")),
                 qPrintable(tooShort.error().text()));
    }
};

QTEST_GUILESS_MAIN(TestForecastFinetune)
#include "test_forecast_finetune.moc"
