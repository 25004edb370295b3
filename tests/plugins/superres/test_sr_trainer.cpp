// The super-resolution trainer end to end on generated rasters (smooth fields with edges,
// 96×96, 4 bands, ×2, a 2-block × 16-filter network, CPU): validation PSNR above bicubic's;
// the module folder (module.json, weights.pt, history.json) read back by LoadedSuperResolver,
// whose output has scale× the size and keeps nodata; a band-count mismatch named with both
// counts; a stopped run resumed ends bitwise where an uninterrupted one does; cancel within a
// batch keeps the last checkpoint and writes no module; a diverging run stops with a clear
// message; on a CUDA machine, training and inference on the GPU; bad requests.
#include "core/catalog/manifest_io.h"
#include "core/ml/torch_compat.h"
#include "core/ml/training_history.h"
#include "plugins/superres/module/loaded_superresolver.h"
#include "plugins/superres/train/sr_trainer.h"
#include "superres_fixture.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace dw::superres;

class TestSrTrainer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_trained;  // the module of trainBeatsBicubic

    SrTrainRequest request(const QString &name) const
    {
        SrTrainRequest r;
        r.rasters = {test::smoothRasterWithEdges(96, 96, 4, 5, true)};
        r.rasterNames = {QStringLiteral("generated.tif")};
        r.bandNames = {QStringLiteral("blue"), QStringLiteral("green"), QStringLiteral("red"), QStringLiteral("nir")};
        r.scale = 2;
        r.blocks = 2;
        r.filters = 16;
        r.epochs = 20;
        r.batchSize = 8;
        r.patchSize = 32;
        r.patchesPerEpoch = 256;
        r.learningRate = 1e-3;
        r.optimizer = QStringLiteral("nadam");
        r.valFraction = 0.34;
        r.patience = 0;
        r.seed = 9;
        r.threads = 1;  // bitwise resume needs the same reduction order
        r.moduleDir = m_dir.filePath(name);
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void trainBeatsBicubic()
    {
        QStringList lines;
        JobContext::Callbacks callbacks;
        callbacks.log = [&lines](const QString &line) { lines << line; };
        std::atomic_bool never{false};
        JobContext context(QStringLiteral("job"), &never, callbacks);
        const SrTrainRequest r = request(QStringLiteral("trained"));
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, context);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        qInfo("validation PSNR %.2f dB vs bicubic %.2f dB (L1 %.4f vs %.4f), best epoch %d, %.1f s", outcome->valPsnr,
              outcome->bicubicPsnr, outcome->bestValL1, outcome->bicubicValL1, outcome->bestEpoch, outcome->seconds);
        QCOMPARE(outcome->stopped, TrainingHistory::stoppedCompleted());
        QCOMPARE(outcome->epochsRun, 20);
        QVERIFY2(outcome->valPsnr > outcome->bicubicPsnr, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY(outcome->bestValL1 < outcome->bicubicValL1);
        QVERIFY(lines.filter(QStringLiteral("val PSNR")).size() == 20);
        QVERIFY(lines.filter(QStringLiteral("bicubic")).size() >= 20);
        for (const char *file : {"module.json", "weights.pt", "history.json", "checkpoints/last.pt"})
            QVERIFY2(QFile::exists(r.moduleDir + QLatin1Char('/') + QLatin1String(file)), file);
        m_trained = r.moduleDir;

        Result<SrModule> module = readSrModule(r.moduleDir);
        QVERIFY2(module.ok(), module.ok() ? "" : qPrintable(module.error().message));
        QCOMPARE(module->manifest.task, QStringLiteral("super-resolution"));
        QCOMPARE(module->bands(), 4);
        QCOMPARE(module->scale(), 2);
        QCOMPARE(module->bandNames, r.bandNames);
        QCOMPARE(module->network.blocks, 2);
        QCOMPARE(module->normalization.bands(), 4);
        QCOMPARE(module->manifest.inputs.value(QStringLiteral("band_count")).toInt(), 4);
        QVERIFY(module->manifest.metrics.value(QStringLiteral("psnr_gain_db")).toDouble() > 0.0);
        QVERIFY(!module->manifest.trainingData.value(QStringLiteral("sha256")).toString().isEmpty());
        Result<TrainingHistory> history = TrainingHistory::load(r.moduleDir + QStringLiteral("/history.json"));
        QVERIFY(history.ok());
        QCOMPARE(int(history->epochs().size()), 20);
    }

    void loadedModuleSuperResolves()
    {
        QVERIFY(!m_trained.isEmpty());
        Result<std::shared_ptr<LoadedSuperResolver>> loaded =
            LoadedSuperResolver::load(m_trained, QStringLiteral("cpu"));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        LoadedSuperResolver &sr = **loaded;
        QCOMPARE(sr.scale(), 2);
        QCOMPARE(sr.bands(), 4);
        RasterBuffer low = test::smoothRasterWithEdges(20, 14, 4, 77);
        low.valid.assign(low.planeSize(), 1);
        low.valid[3 * 20 + 5] = 0;
        Result<RasterBuffer> fine = sr.superResolve(low);
        QVERIFY(fine.ok());
        QCOMPARE(fine->width, 40);
        QCOMPARE(fine->height, 28);
        QCOMPARE(fine->bands, 4);
        QVERIFY(!fine->isValid(10, 6) && !fine->isValid(11, 7) && fine->isValid(12, 7));
        QCOMPARE(fine->at(0, 10, 6), 0.0f);
        // Close to bicubic (same scale of values), not equal to it.
        Result<RasterBuffer> bicubic = sr.bicubic(low);
        QVERIFY(bicubic.ok());
        double diff = 0.0, level = 0.0;
        for (std::size_t i = 0; i < fine->values.size(); ++i) {
            diff += std::abs(fine->values[i] - bicubic->values[i]);
            level += std::abs(bicubic->values[i]);
        }
        QVERIFY(diff > 0.0);
        QVERIFY(diff < 0.1 * level);
        // A batch gives what single windows give.
        Result<std::vector<RasterBuffer>> batch = sr.superResolveBatch({low, low});
        QVERIFY(batch.ok());
        QCOMPARE(int(batch->size()), 2);
        for (std::size_t i = 0; i < fine->values.size(); i += 97)
            QVERIFY(std::abs(batch->at(1).values[i] - fine->values[i]) < 1e-3f);
        QVERIFY(!sr.superResolveBatch({low, test::smoothRasterWithEdges(10, 14, 4, 1)}).ok());
    }

    void bandCountMismatchNamesBothCounts()
    {
        QVERIFY(!m_trained.isEmpty());
        Result<std::shared_ptr<LoadedSuperResolver>> loaded =
            LoadedSuperResolver::load(m_trained, QStringLiteral("cpu"));
        QVERIFY(loaded.ok());
        Result<RasterBuffer> wrong = (*loaded)->superResolve(test::smoothRasterWithEdges(16, 16, 3, 1));
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().message.contains(QStringLiteral("3 band(s)")) &&
                     wrong.error().message.contains(QStringLiteral("trained on 4")),
                 qPrintable(wrong.error().message));
        QCOMPARE(wrong.error().field, QStringLiteral("bands"));
        // Other folders: not a module, another task's module.
        QVERIFY(LoadedSuperResolver::load(m_dir.path(), QStringLiteral("cpu"))
                    .error()
                    .message.contains(QStringLiteral("module.json")));
    }

    void resumeIsBitwise()
    {
        JobContext context;
        SrTrainRequest full = request(QStringLiteral("resume-full"));
        full.epochs = 4;
        full.plateauPatience = 0;  // the rate changes during the run: the plateau state must come back too
        QVERIFY(trainSuperResolution(full, context).ok());

        SrTrainRequest part = request(QStringLiteral("resume-part"));
        part.epochs = 4;
        part.plateauPatience = 0;
        part.stopAfterEpoch = 2;
        Result<SrTrainOutcome> stopped = trainSuperResolution(part, context);
        QVERIFY(stopped.ok());
        QCOMPARE(stopped->stopped, TrainingHistory::stoppedCancelled());
        QVERIFY(!QFile::exists(part.moduleDir + QStringLiteral("/weights.pt")));
        part.stopAfterEpoch = 0;
        part.resume = true;
        Result<SrTrainOutcome> resumed = trainSuperResolution(part, context);
        QVERIFY2(resumed.ok(), resumed.ok() ? "" : qPrintable(resumed.error().message));
        QCOMPARE(resumed->epochsRun, 4);
        auto a = LoadedSuperResolver::load(full.moduleDir, QStringLiteral("cpu"));
        auto b = LoadedSuperResolver::load(part.moduleDir, QStringLiteral("cpu"));
        QVERIFY(a.ok() && b.ok());
        const RasterBuffer low = test::smoothRasterWithEdges(24, 24, 4, 3);
        const RasterBuffer fa = (*a)->superResolve(low).value();
        const RasterBuffer fb = (*b)->superResolve(low).value();
        QVERIFY(fa.values == fb.values);  // exact: the same weights to the last bit
        Result<TrainingHistory> ha = TrainingHistory::load(full.moduleDir + QStringLiteral("/history.json"));
        Result<TrainingHistory> hb = TrainingHistory::load(part.moduleDir + QStringLiteral("/history.json"));
        QCOMPARE(int(hb->epochs().size()), 4);
        for (std::size_t e = 0; e < 4; ++e) {
            QCOMPARE(hb->epochs()[e].valLoss, ha->epochs()[e].valLoss);
            QCOMPARE(hb->epochs()[e].lr, ha->epochs()[e].lr);
        }
        // Resuming with another network is refused, naming what differs.
        SrTrainRequest other = part;
        other.filters = 8;
        Result<SrTrainOutcome> refused = trainSuperResolution(other, context);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("network")));
    }

    void cancelWithinABatch()
    {
        std::atomic_bool cancel{false};
        int batches = 0;
        JobContext::Callbacks callbacks;
        callbacks.progress = [&](double, const QString &message) {
            if (message.startsWith(QStringLiteral("epoch 2/")) && ++batches == 3)
                cancel = true;
        };
        JobContext context(QStringLiteral("job"), &cancel, callbacks);
        SrTrainRequest r = request(QStringLiteral("cancelled"));
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, context);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->stopped, TrainingHistory::stoppedCancelled());
        QCOMPARE(outcome->epochsRun, 1);
        QCOMPARE(batches, 3);  // stopped at the next batch
        QVERIFY(QFile::exists(r.moduleDir + QStringLiteral("/checkpoints/last.pt")));
        QVERIFY(!QFile::exists(r.moduleDir + QStringLiteral("/module.json")));
        QVERIFY(!QFile::exists(r.moduleDir + QStringLiteral("/weights.pt")));
    }

    void divergingRunStopsWithAClearMessage()
    {
        JobContext context;
        SrTrainRequest r = request(QStringLiteral("diverged"));
        r.learningRate = 1e30;
        r.optimizer = QStringLiteral("adam");
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, context);
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.error().message.contains(QStringLiteral("NaN")) ||
                     outcome.error().message.contains(QStringLiteral("infinite")),
                 qPrintable(outcome.error().message));
        QVERIFY(outcome.error().message.contains(QStringLiteral("epoch 1, batch")));
        QVERIFY(outcome.error().message.contains(QStringLiteral("learning rate")));
        QCOMPARE(outcome.error().field, QStringLiteral("lr"));
        QVERIFY(!QFile::exists(r.moduleDir + QStringLiteral("/module.json")));
    }

    // On a CUDA machine: training runs on the GPU (channels_last, float32) and the module it
    // writes super-resolves on the GPU what the CPU computes from the same weights.
    void trainsAndRunsOnCuda()
    {
        if (compat::cudaDeviceCount() == 0)
            QSKIP("no CUDA device (or a LibTorch without CUDA)");
        std::atomic_bool never{false};
        JobContext context(QStringLiteral("job"), &never, {}, QStringLiteral("cuda"));
        SrTrainRequest r = request(QStringLiteral("cuda"));
        r.epochs = 3;
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, context);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        QCOMPARE(outcome->epochsRun, 3);
        auto gpu = LoadedSuperResolver::load(r.moduleDir, QStringLiteral("cuda"));
        auto cpu = LoadedSuperResolver::load(r.moduleDir, QStringLiteral("cpu"));
        QVERIFY(gpu.ok() && cpu.ok());
        QVERIFY((*gpu)->isCuda());
        const RasterBuffer low = test::smoothRasterWithEdges(40, 40, 4, 8);
        const RasterBuffer a = (*gpu)->superResolve(low).value();
        const RasterBuffer b = (*cpu)->superResolve(low).value();
        double worst = 0.0;
        for (std::size_t i = 0; i < a.values.size(); ++i)
            worst = std::max(worst, double(std::abs(a.values[i] - b.values[i])));
        QVERIFY2(worst < 0.05, qPrintable(QString::number(worst)));  // values in the hundreds; TF32 allowed
    }

    void nanNodataDoesNotReachTheLoss()
    {
        JobContext context;
        SrTrainRequest r = request(QStringLiteral("nan-nodata"));
        r.epochs = 2;
        RasterBuffer &raster = r.rasters.front();
        for (std::size_t i = 0; i < raster.planeSize(); ++i)
            if (!raster.valid[i])
                for (int b = 0; b < raster.bands; ++b)
                    raster.band(b)[i] = std::nanf("");
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, context);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        QVERIFY(std::isfinite(outcome->bestValL1) && std::isfinite(outcome->valPsnr));
    }

    void badRequests()
    {
        JobContext context;
        SrTrainRequest r = request(QStringLiteral("bad"));
        r.rasters.push_back(test::smoothRasterWithEdges(96, 96, 3, 1));
        r.rasterNames << QStringLiteral("other.tif");
        Result<SrTrainOutcome> mixed = trainSuperResolution(r, context);
        QVERIFY(!mixed.ok());
        QVERIFY2(mixed.error().message.contains(QStringLiteral("other.tif has 3 band(s)")) &&
                     mixed.error().message.contains(QStringLiteral("has 4")),
                 qPrintable(mixed.error().message));
        r = request(QStringLiteral("bad"));
        r.patchSize = 33;
        QCOMPARE(trainSuperResolution(r, context).error().field, QStringLiteral("patch-size"));
        r = request(QStringLiteral("bad"));
        r.rasters = {test::smoothRasterWithEdges(40, 40, 4, 1)};
        QVERIFY(trainSuperResolution(r, context).error().message.contains(QStringLiteral("too small")));
        r = request(QStringLiteral("bad"));
        r.optimizer = QStringLiteral("sgd");
        QCOMPARE(trainSuperResolution(r, context).error().field, QStringLiteral("optimizer"));
    }
};

QTEST_GUILESS_MAIN(TestSrTrainer)
#include "test_sr_trainer.moc"
