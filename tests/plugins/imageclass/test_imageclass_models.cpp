// The image-classification networks: shapes, torchvision names and parameter counts, the
// same logits as PyTorch/torchvision, weights I/O by name (with files written by Python),
// heads, and that they train. Fixtures: tests/data/imageclass (make_fixtures.py made them).
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/models/stochastic_depth.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <thread>

using namespace dw::imageclass;

namespace {

const QString kDataDir = QStringLiteral(DW_TEST_DATA_DIR "/imageclass/");

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::shared_ptr<ClassifierImpl> build(const std::string &arch, int64_t channels, int64_t classes, int64_t size = 224)
{
    std::string error;
    auto model = createModel({arch, channels, classes, size}, &error);
    if (!model)
        qWarning("%s", error.c_str());
    return model;
}

int64_t parameterCount(const torch::nn::Module &model)
{
    int64_t count = 0;
    for (const auto &p : model.parameters())
        count += p.numel();
    return count;
}

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QStringList lines;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty() && !line.startsWith('#'))
            lines << line;
    }
    return lines;
}

QStringList names(const torch::nn::Module &model)
{
    QStringList list;
    for (const auto &entry : stateDict(model))
        list << QString::fromStdString(entry.first);
    return list;
}

// make_fixtures.py's deterministic_weights(), calibrate_batch_norms() and deterministic_input().
void deterministicWeights(torch::nn::Module &model)
{
    auto entries = stateDict(model);
    std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    torch::NoGradGuard noGrad;
    for (size_t k = 0; k < entries.size(); ++k) {
        const auto &[name, t] = entries[k];
        if (!t.is_floating_point() || endsWith(name, "num_batches_tracked"))  // to(kFloat64) converted it
            continue;
        const auto base = torch::sin(torch::arange(t.numel(), torch::kFloat64) * 0.7 + double(k)).reshape(t.sizes());
        torch::Tensor value;
        if (endsWith(name, "running_var"))
            value = 1 + 0.5 * base.abs();
        else if (endsWith(name, "running_mean") || (t.dim() == 1 && endsWith(name, "bias")))
            value = 0.1 * base;
        else if (t.dim() == 1)
            value = 1 + 0.1 * base;
        else
            value = base * std::sqrt(1.0 / double(t.numel() / t.size(0)));
        t.copy_(value.to(t.scalar_type()));
    }
}

void calibrateBatchNorms(ClassifierImpl &model, const torch::Tensor &x)
{
    for (const auto &module : model.modules())
        if (auto *norm = module->as<torch::nn::BatchNorm2d>())
            norm->options.momentum(1.0);
    model.train();
    torch::NoGradGuard noGrad;
    model.forward(x);
    model.eval();
}

torch::Tensor deterministicInput(int64_t n, int64_t c, int64_t h, int64_t w)
{
    const auto i = torch::arange(n * c * h * w, torch::kFloat64);
    return (torch::sin(i * 0.1) * (1 + i / double(i.numel()))).reshape({n, c, h, w});
}

}  // namespace

class TestImageclassModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
        torch::manual_seed(7);
    }

    void factoryListsAndRejects()
    {
        const std::vector<std::string> expected{"smallcnn",    "resnet18",        "resnet34",     "resnet50",
                                                "mobilenetv2", "efficientnet_b0", "convnext_tiny"};
        QCOMPARE(architectures(), expected);
        const std::vector<std::pair<ModelSpec, std::string>> bad{
            {{"vgg16", 3, 10, 224}, "Unknown architecture 'vgg16': choose one of smallcnn, resnet18"},
            {{"resnet18", 0, 10, 224}, "0 input channels"},
            {{"resnet18", 3, 0, 224}, "0 classes"},
            {{"resnet18", 3, 10, 28}, "resnet18 needs an image size from 32"},
            {{"smallcnn", 1, 10, 20}, "smallcnn needs an image size from 28"},
            {{"mobilenetv2", 3, 10, 100000}, "to 4096 pixels"}};
        for (const auto &[spec, message] : bad) {
            std::string error;
            QVERIFY(!createModel(spec, &error));
            QVERIFY2(error.find(message) != std::string::npos, error.c_str());
        }
        QVERIFY(build("smallcnn", 1, 10, 28));
    }

    void outputShape_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        for (const std::string &arch : architectures())
            for (int channels : {1, 3, 4})
                for (int size : {28, 32, 64, 224}) {
                    if ((size == 28 && arch != "smallcnn") || (size == 224 && arch == "resnet50"))
                        continue;
                    QTest::addRow("%s-%d-%dch", arch.c_str(), size, channels)
                        << QString::fromStdString(arch) << size << channels;
                }
    }
    void outputShape()
    {
        QFETCH(QString, arch);
        QFETCH(int, size);
        QFETCH(int, channels);
        const int64_t classes = 7;
        const QString key = arch + QString::number(channels);  // rows of one model follow each other
        if (key != m_cachedKey) {
            m_cachedModel = build(arch.toStdString(), channels, classes, std::max(size, 32));
            m_cachedKey = key;
        }
        QVERIFY(m_cachedModel);
        m_cachedModel->eval();
        torch::NoGradGuard noGrad;
        const int64_t batch = size >= 224 ? 1 : 2;
        const auto logits = m_cachedModel->forward(torch::randn({batch, channels, size, size + 8}));
        QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{batch, classes}));
        QVERIFY(torch::isfinite(logits).all().item<bool>());
    }

    void cleanupTestCase() { m_cachedModel.reset(); }

    void wrongInputExplained()
    {
        auto model = build("resnet18", 3, 10);
        try {
            model->forward(torch::zeros({1, 1, 64, 64}));
            QFAIL("a 1-channel image went into a 3-channel model");
        } catch (const c10::Error &e) {
            QVERIFY2(std::string(e.what()).find("built for 3 input channel(s), got images with 1") != std::string::npos,
                     e.what());
        }
    }

    void torchvisionNames_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("resnet18") << "resnet18";
        QTest::newRow("resnet50") << "resnet50";
        QTest::newRow("mobilenetv2") << "mobilenetv2";
        QTest::newRow("efficientnet_b0") << "efficientnet_b0";
        QTest::newRow("convnext_tiny") << "convnext_tiny";
    }
    void torchvisionNames()
    {
        QFETCH(QString, arch);
        const QStringList expected = readLines(kDataDir + arch + "_state_dict_names.txt");
        QVERIFY(expected.size() > 100);
        QCOMPARE(names(*build(arch.toStdString(), 3, 1000)), expected);  // same names, same order
    }

    void parameterCounts_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("classes");
        QTest::addColumn<qint64>("count");
        QTest::newRow("resnet18") << "resnet18" << 3 << 1000 << qint64(11689512);  // torchvision's counts
        QTest::newRow("resnet34") << "resnet34" << 3 << 1000 << qint64(21797672);
        QTest::newRow("resnet50") << "resnet50" << 3 << 1000 << qint64(25557032);
        QTest::newRow("mobilenetv2") << "mobilenetv2" << 3 << 1000 << qint64(3504872);
        QTest::newRow("efficientnet_b0") << "efficientnet_b0" << 3 << 1000 << qint64(5288548);
        QTest::newRow("convnext_tiny") << "convnext_tiny" << 3 << 1000 << qint64(28589128);
        QTest::newRow("smallcnn") << "smallcnn" << 1 << 10 << qint64(113386);
    }
    void parameterCounts()
    {
        QFETCH(QString, arch);
        QFETCH(int, channels);
        QFETCH(int, classes);
        QFETCH(qint64, count);
        QCOMPARE(parameterCount(*build(arch.toStdString(), channels, classes)), count);
    }

    void sameLogitsAsPyTorch_data()
    {
        QTest::addColumn<QString>("line");
        for (const QString &line : readLines(kDataDir + "reference_logits.txt"))
            QTest::newRow(qPrintable(line.section(':', 0, 0))) << line;
    }
    void sameLogitsAsPyTorch()
    {
        QFETCH(QString, line);
        const QStringList head = line.section(':', 0, 0).split(' ');
        const QStringList values = line.section(':', 1).split(' ', Qt::SkipEmptyParts);
        const int64_t channels = head[1].toInt(), size = head[2].toInt(), classes = head[3].toInt();
        auto model = build(head[0].toStdString(), channels, classes, std::max<int64_t>(size, 32));
        QVERIFY(model);
        model->to(torch::kFloat64);  // in single precision these nets amplify rounding too much to compare
        deterministicWeights(*model);
        const auto x = deterministicInput(2, channels, size, size);
        calibrateBatchNorms(*model, x);
        torch::NoGradGuard noGrad;
        const auto logits = model->forward(x).flatten();
        QCOMPARE(logits.numel(), int64_t(values.size()));
        std::vector<double> expected;
        for (const QString &v : values)
            expected.push_back(v.toDouble());
        const auto reference = torch::tensor(expected, torch::kFloat64);
        const double scale = reference.abs().max().item<double>();
        const double difference = (logits - reference).abs().max().item<double>();
        QVERIFY2(difference <= 1e-7 * scale,
                 qPrintable(QStringLiteral("max difference %1 for logits up to %2").arg(difference).arg(scale)));
    }

    void featuresThenHeadIsForward_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("featureChannels");
        QTest::addColumn<int>("featureSide");
        QTest::newRow("smallcnn") << "smallcnn" << 128 << 16;
        QTest::newRow("resnet18") << "resnet18" << 512 << 2;
        QTest::newRow("resnet50") << "resnet50" << 2048 << 2;
        QTest::newRow("mobilenetv2") << "mobilenetv2" << 1280 << 2;
        QTest::newRow("efficientnet_b0") << "efficientnet_b0" << 1280 << 2;
        QTest::newRow("convnext_tiny") << "convnext_tiny" << 768 << 2;
    }
    void featuresThenHeadIsForward()
    {
        QFETCH(QString, arch);
        QFETCH(int, featureChannels);
        QFETCH(int, featureSide);
        auto model = build(arch.toStdString(), 3, 5);
        model->eval();
        torch::NoGradGuard noGrad;
        const auto x = torch::randn({2, 3, 64, 64});
        const auto map = model->features(x);
        QCOMPARE(map.sizes().vec(), (std::vector<int64_t>{2, featureChannels, featureSide, featureSide}));
        QVERIFY(torch::allclose(model->head(map), model->forward(x), 1e-5, 1e-6));
    }

    void replaceHeadChangesOnlyTheHead_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("linear");  // the layer replaced; the rest of the head stays
        QTest::newRow("smallcnn") << "smallcnn"
                                  << "classifier.1.";
        QTest::newRow("resnet18") << "resnet18"
                                  << "fc.";
        QTest::newRow("mobilenetv2") << "mobilenetv2"
                                     << "classifier.1.";
        QTest::newRow("efficientnet_b0") << "efficientnet_b0"
                                         << "classifier.1.";
        QTest::newRow("convnext_tiny") << "convnext_tiny"
                                       << "classifier.2.";  // keeps the LayerNorm2d
    }
    void replaceHeadChangesOnlyTheHead()
    {
        QFETCH(QString, arch);
        QFETCH(QString, linear);
        auto model = build(arch.toStdString(), 3, 10);
        QVERIFY(linear.startsWith(QString::fromStdString(model->headName() + ".")));
        const std::string head = linear.toStdString();
        model->to(torch::kFloat64);  // the new layer must follow the model's dtype
        {
            torch::NoGradGuard noGrad;  // values a freshly built layer would not have
            for (auto &entry : stateDict(*model))
                if (entry.second.is_floating_point())
                    entry.second.add_(0.25);
        }
        NamedTensors before;
        for (const auto &[name, t] : stateDict(*model))
            before.emplace_back(name, t.clone());
        for (const std::string &prefix : model->lastStagePrefixes())
            QVERIFY2(std::any_of(before.begin(), before.end(), [&](auto &e) { return e.first.rfind(prefix, 0) == 0; }),
                     prefix.c_str());

        model->eval();
        model->replaceHead(3);
        QCOMPARE(model->numClasses(), int64_t(3));
        QVERIFY(!model->is_training() && !model->children().back()->is_training());
        const auto after = stateDict(*model);
        QCOMPARE(after.size(), before.size());
        int headEntries = 0;
        for (size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].first, before[i].first);
            if (after[i].first.rfind(head, 0) == 0) {
                ++headEntries;
                QCOMPARE(after[i].second.size(0), int64_t(3));
                QVERIFY(after[i].second.requires_grad());
                QCOMPARE(after[i].second.scalar_type(), torch::kFloat64);
            } else {
                QVERIFY2(torch::equal(after[i].second, before[i].second), after[i].first.c_str());
            }
        }
        QCOMPARE(headEntries, 2);
        torch::NoGradGuard noGrad;
        QCOMPARE(model->forward(torch::randn({2, 3, 32, 32}, torch::kFloat64)).size(1), int64_t(3));
    }

    void saveLoadRoundTrip_data()
    {
        QTest::addColumn<QString>("arch");
        for (const char *arch : {"smallcnn", "resnet18", "mobilenetv2", "efficientnet_b0", "convnext_tiny"})
            QTest::newRow(arch) << QString::fromLatin1(arch);
    }
    void saveLoadRoundTrip()
    {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        const std::string path = dir.filePath("weights.pt").toStdString();
        auto source = build(arch.toStdString(), 3, 6);
        {
            torch::NoGradGuard noGrad;
            source->forward(torch::randn({4, 3, 32, 32}));  // moves the batch-norm statistics
        }
        std::string error;
        QVERIFY2(saveStateDict(*source, path, &error), error.c_str());
        QVERIFY(!QFile::exists(dir.filePath("weights.pt.part")));
        QFile written(dir.filePath("weights.pt"));
        QVERIFY(written.open(QIODevice::ReadOnly));
        // Nothing that torch.load(weights_only=True), PyTorch >= 2.6's default, refuses.
        QVERIFY(!written.readAll().contains("restore_type_tag"));
        auto target = build(arch.toStdString(), 3, 6);
        QVERIFY2(loadStateDict(*target, path, &error), error.c_str());
        QVERIFY(error.empty());
        source->eval();
        target->eval();
        torch::NoGradGuard noGrad;
        const auto x = torch::randn({2, 3, 40, 40});
        QVERIFY(torch::equal(source->forward(x), target->forward(x)));
        const auto a = stateDict(*source), b = stateDict(*target);
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(torch::equal(a[i].second, b[i].second), a[i].first.c_str());
    }

    void readsLibTorchSave()
    {  // torch::save(module): a TorchScript archive with the same names
        QTemporaryDir dir;
        const std::string path = dir.filePath("saved.pt").toStdString();
        auto source = build("smallcnn", 1, 10, 28);
        torch::save(std::static_pointer_cast<torch::nn::Module>(source), path);
        auto target = build("smallcnn", 1, 10, 28);
        std::string error;
        QVERIFY2(loadStateDict(*target, path, &error), error.c_str());
        const auto a = stateDict(*source), b = stateDict(*target);
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(torch::equal(a[i].second, b[i].second), a[i].first.c_str());
    }

    void mismatchedWeightsExplained()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("resnet18.pt").toStdString();
        QVERIFY(saveStateDict(*build("resnet18", 3, 10), path));
        struct Case {
            std::shared_ptr<ClassifierImpl> model;
            std::vector<std::string> phrases;
        };
        const std::vector<Case> cases{
            {build("resnet18", 1, 10),
             {"do not fit this resnet18 (1 input channels, 10 classes)",
              "conv1.weight: shape [64, 3, 7, 7] in the file, [64, 1, 7, 7] expected"}},
            {build("resnet34", 3, 10), {"missing: layer1.2.conv1.weight, layer1.2.bn1.weight"}},
            {build("mobilenetv2", 3, 10), {"missing: features.0.0.weight", "unexpected: conv1.weight", "more"}},
            {build("resnet18", 3, 4),
             {"fc.weight: shape [10, 512] in the file, [4, 512] expected", "the file was trained for 10 classes"}}};
        for (const Case &c : cases) {
            const auto before = stateDict(*c.model).front().second.clone();
            std::string error;
            QVERIFY(!loadStateDict(*c.model, path, &error));
            for (const std::string &phrase : c.phrases)
                QVERIFY2(error.find(phrase) != std::string::npos, error.c_str());
            QVERIFY(error.find(path) != std::string::npos);
            QVERIFY(torch::equal(stateDict(*c.model).front().second, before));  // strict: untouched
        }
    }

    void nonStrictAndSkippedHead()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("resnet18.pt").toStdString();
        auto source = build("resnet18", 3, 10);
        QVERIFY(saveStateDict(*source, path));
        auto target = build("resnet18", 3, 4);
        std::string error;
        QVERIFY(loadStateDict(*target, path, &error, {.strict = false}));
        QVERIFY2(error.find("fc.weight: shape") != std::string::npos, error.c_str());
        QVERIFY(torch::equal(stateDict(*target)[0].second, stateDict(*source)[0].second));
        QVERIFY(loadStateDict(*target, path, &error, {.strict = true, .skipPrefixes = {"fc."}}));
        QVERIFY2(error.empty(), error.c_str());
    }

    void readsWhatPythonWrites_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("torch.save(model.state_dict())") << "tiny_state_dict.pt";
        QTest::newRow("checkpoint dict") << "tiny_checkpoint.pt";
        QTest::newRow("one-item dict") << "tiny_wrapped.pt";
        QTest::newRow("DataParallel names") << "tiny_dataparallel.pt";
        QTest::newRow("torch.jit.save") << "tiny_script.pt";
    }
    void readsWhatPythonWrites()
    {
        QFETCH(QString, file);
        std::string error;
        const auto entries = readStateDict((kDataDir + file).toStdString(), &error);
        QVERIFY2(entries, error.c_str());
        // make_fixtures.py: the i-th entry of the tiny model's state_dict is arange(numel) + 100 i.
        const std::vector<std::string> order{
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "3.weight", "3.bias"};
        QCOMPARE(entries->size(), order.size());
        torch::nn::Sequential tiny(torch::nn::Conv2d(1, 2, 3), torch::nn::BatchNorm2d(2), torch::nn::Flatten(),
                                   torch::nn::Linear(2, 3));
        QVERIFY2(applyStateDict(*tiny, *entries, &error), error.c_str());
        const auto loaded = stateDict(*tiny);
        for (size_t i = 0; i < order.size(); ++i) {
            const auto &[name, tensor] = loaded[i];
            QCOMPARE(name, order[i]);
            if (tensor.is_floating_point()) {
                const auto expected =
                    torch::arange(tensor.numel(), torch::kFloat32).reshape(tensor.sizes()) + double(100 * i);
                QVERIFY2(torch::equal(tensor, expected), name.c_str());
            }
        }
    }

    void refusesWhatItCannotRead()
    {
        QTemporaryDir dir;
        QFile text(dir.filePath("notes.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not weights\n");
        text.close();
        const std::vector<std::pair<std::string, std::string>> cases{
            {(kDataDir + "tiny_legacy.pt").toStdString(), "legacy format"},
            {text.fileName().toStdString(), "not a PyTorch weights file"},
            {dir.filePath("absent.pt").toStdString(), "Cannot open the weights file"}};
        for (const auto &[path, phrase] : cases) {
            std::string error;
            QVERIFY(!readStateDict(path, &error));
            QVERIFY2(error.find(phrase) != std::string::npos, error.c_str());
        }
    }

    void stochasticDepthDropsWholeSamples()
    {
        const auto x = torch::ones({4000, 3, 2, 2});
        QVERIFY(torch::equal(stochasticDepth(x, 0.3, /*training=*/false), x));
        QVERIFY(torch::equal(stochasticDepth(x, 0.0, /*training=*/true), x));
        const auto y = stochasticDepth(x, 0.25, /*training=*/true);
        const auto perSample = y.flatten(1);
        // "row" mode: one draw per sample, kept samples scaled by 1 / (1 - p).
        QVERIFY(torch::equal(perSample.amin(1), perSample.amax(1)));
        QVERIFY(torch::logical_or(perSample == 0, (perSample - 1 / 0.75).abs() < 1e-6).all().item<bool>());
        const double dropped = (perSample.select(1, 0) == 0).to(torch::kFloat64).mean().item<double>();
        QVERIFY2(std::abs(dropped - 0.25) < 0.04, qPrintable(QString::number(dropped)));
    }

    void trainingLowersTheLoss_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("adam");  // else SGD with momentum
        QTest::newRow("smallcnn") << "smallcnn" << 1 << 28 << false;
        QTest::newRow("resnet18") << "resnet18" << 3 << 32 << false;
        // torchvision's EfficientNet starts with logits of order 10 (its uniform head init is wide
        // for few classes) and with dropout, stochastic depth and batch statistics of a tiny map:
        // SGD with momentum oscillates there for the first dozen steps, in PyTorch as here.
        QTest::newRow("efficientnet_b0") << "efficientnet_b0" << 3 << 64 << true;
        QTest::newRow("convnext_tiny") << "convnext_tiny" << 3 << 32 << false;
    }
    void trainingLowersTheLoss()
    {
        QFETCH(QString, arch);
        QFETCH(int, channels);
        QFETCH(int, size);
        QFETCH(bool, adam);
        auto model = build(arch.toStdString(), channels, 4, std::max(size, 32));
        model->train();
        const auto x = torch::randn({8, channels, size, size});
        const auto y = torch::tensor({0, 1, 2, 3, 0, 1, 2, 3}, torch::kLong);
        std::unique_ptr<torch::optim::Optimizer> optimizer;
        if (adam)
            optimizer = std::make_unique<torch::optim::Adam>(model->parameters(), torch::optim::AdamOptions(1e-3));
        else
            optimizer =
                std::make_unique<torch::optim::SGD>(model->parameters(), torch::optim::SGDOptions(0.02).momentum(0.9));
        std::vector<float> losses;
        for (int step = 0; step < 12; ++step) {
            optimizer->zero_grad();
            const auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
            loss.backward();
            if (step == 0)
                for (const auto &item : model->named_parameters())  // every parameter takes part
                    QVERIFY2(item.value().grad().defined(), item.key().c_str());
            optimizer->step();
            losses.push_back(loss.item<float>());
        }
        QVERIFY2(losses.back() < 0.5f * losses.front(),
                 qPrintable(QStringLiteral("loss %1 -> %2").arg(losses.front()).arg(losses.back())));
    }

private:
    QString m_cachedKey;
    std::shared_ptr<ClassifierImpl> m_cachedModel;
};

QTEST_GUILESS_MAIN(TestImageclassModels)
#include "test_imageclass_models.moc"
