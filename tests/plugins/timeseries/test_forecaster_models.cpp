// The forecasting networks: every architecture maps [N, W, F] to [N, H, T] for one and
// several targets, registers its parameters, starts as persistence with the residual
// connection, and rejects specs it cannot build with the argument to change.
#include "plugins/timeseries/models/forecaster.h"

#include <QtTest>

using namespace dw;
using namespace dw::timeseries;

class TestForecasterModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shapes_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("features");
        QTest::addColumn<int>("targets");
        QTest::addColumn<int>("horizon");
        QTest::newRow("lstm 1 layer") << "lstm" << 1 << 1 << 1 << 1;
        QTest::newRow("lstm 3 layers multi") << "lstm" << 3 << 4 << 2 << 5;
        QTest::newRow("gru 2 layers") << "gru" << 2 << 3 << 1 << 3;
        QTest::newRow("cnn") << "cnn" << 3 << 2 << 2 << 4;
        QTest::newRow("mlp") << "mlp" << 2 << 5 << 3 << 2;
    }

    void shapes()
    {
        QFETCH(QString, kind);
        QFETCH(int, layers);
        QFETCH(int, features);
        QFETCH(int, targets);
        QFETCH(int, horizon);
        torch::manual_seed(1);
        ForecasterSpec spec;
        spec.kind = kind.toStdString();
        spec.layers = layers;
        spec.features = features;
        spec.targets = targets;
        spec.window = 12;
        spec.horizon = horizon;
        spec.hidden = 8;
        Result<ForecasterPtr> model = createForecaster(spec);
        QVERIFY2(model.ok(), model.ok() ? "" : qPrintable(model.error().text()));
        const torch::Tensor out = (*model)->forward(torch::randn({5, 12, features}));
        QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{5, horizon, targets}));
        QVERIFY(parameterCount(**model) > 0);
        // Gradients reach every parameter.
        out.sum().backward();
        for (const torch::Tensor &p : (*model)->parameters())
            QVERIFY(p.grad().defined());
    }

    void residualStartsNearPersistence()
    {
        // With the output layer zeroed, the forecast is exactly the last observed target.
        ForecasterSpec spec;
        spec.kind = "mlp";
        spec.window = 6;
        spec.features = 2;
        spec.targets = 1;
        spec.horizon = 3;
        Result<ForecasterPtr> model = createForecaster(spec);
        QVERIFY(model.ok());
        torch::NoGradGuard noGrad;
        for (auto &item : (*model)->named_parameters())
            if (item.key().find("layers." + std::to_string(spec.layers * 2)) == 0)
                item.value().zero_();
        const torch::Tensor input = torch::randn({4, 6, 2});
        const torch::Tensor out = (*model)->forward(input);
        const torch::Tensor last = input.select(1, 5).narrow(1, 0, 1).unsqueeze(1).expand({4, 3, 1});
        QVERIFY(torch::allclose(out, last));
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("window");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown kind") << "transformer" << 2 << 8 << "model";
        QTest::newRow("4 lstm layers") << "lstm" << 4 << 8 << "layers";
        QTest::newRow("window 0") << "gru" << 1 << 0 << "window";
    }

    void rejects()
    {
        QFETCH(QString, kind);
        QFETCH(int, layers);
        QFETCH(int, window);
        QFETCH(QString, field);
        ForecasterSpec spec;
        spec.kind = kind.toStdString();
        spec.layers = layers;
        spec.window = window;
        Result<ForecasterPtr> model = createForecaster(spec);
        QVERIFY(!model.ok());
        QCOMPARE(model.error().field, field);
    }

    void specJsonRoundTrip()
    {
        ForecasterSpec spec;
        spec.kind = "gru";
        spec.features = 3;
        spec.targets = 2;
        spec.window = 40;
        spec.horizon = 6;
        spec.layers = 3;
        spec.hidden = 17;
        spec.dropout = 0.25;
        spec.residual = false;
        Result<ForecasterSpec> back = ForecasterSpec::fromJson(spec.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->toJson(), spec.toJson());
    }
};

QTEST_GUILESS_MAIN(TestForecasterModels)
#include "test_forecaster_models.moc"
