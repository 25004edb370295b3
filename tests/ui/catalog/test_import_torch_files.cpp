// PyTorch files dropped on the workbench window: a TorchScript classifier opens the import
// dialog (task, labels found next to the model, the plugin's import form), which adds a
// module that the train form then offers as a starting point; weights (a .pth) go to the
// weights cache; a file that is neither gets a message. The models are written by Debian's
// python3-torch (tests/peers/torchscript_models.py).
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"

#include "core/jobs/job_manager.h"
#include "core/weights/pretrained_weights.h"
#include "core/weights/weight_cache.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/import_model_dialog.h"
#include "ui/catalog/weights_dialog.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

class TestImportTorchFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_settings, m_files;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    QString m_weights;  // tinynet-<prefix>.pth, a site's own weights file
    QString file(const QString &name) const { return m_files.filePath(name); }
    static QString screenshot(const QString &name)
    {
        const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
        QDir().mkpath(folder);
        return QStringLiteral("%1/%2.png").arg(folder, name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_files.isValid());
        test::isolateSettings(m_settings.path());
        test::usePluginsFromTheBuild();
        QProcess python;
        python.start(u"/usr/bin/python3"_s, {QStringLiteral(DW_SOURCE_DIR "/tests/peers/torchscript_models.py"),
                                             u"classifier"_s, m_files.path()});
        QVERIFY2(python.waitForFinished(300000) && python.exitCode() == 0, python.readAllStandardError().constData());
        // A site's own weights file, registered the way a site does it ($DEEPWB_EXTRA_WEIGHTS).
        QFile weights(file(u"state_dict.pt"_s));
        QVERIFY(weights.open(QIODevice::ReadOnly));
        const QString sha =
            QString::fromLatin1(QCryptographicHash::hash(weights.readAll(), QCryptographicHash::Sha256).toHex());
        weights.close();
        m_weights = file(u"tinynet-%1.pth"_s.arg(sha.left(8)));
        QVERIFY(QFile::copy(file(u"state_dict.pt"_s), m_weights));
        QFile extra(file(u"extra.json"_s));
        QVERIFY(extra.open(QIODevice::WriteOnly));
        extra.write(QJsonDocument(QJsonArray{QJsonObject{{u"architecture"_s, u"tinynet"_s},
                                                         {u"variant"_s, u"TEST"_s},
                                                         {u"file"_s, QFileInfo(m_weights).fileName()},
                                                         {u"sha256"_s, sha}}})
                        .toJson());
        extra.close();
        qputenv("DEEPWB_EXTRA_WEIGHTS", file(u"extra.json"_s).toUtf8());
        qputenv("DEEPWB_WEIGHTS_DIR", file(u"cache"_s).toUtf8());
        QFile notTorch(file(u"notes.pth"_s));
        QVERIFY(notTorch.open(QIODevice::WriteOnly));
        notTorch.write("just some notes, not a PyTorch file");
        notTorch.close();

        m_catalog = std::make_unique<test::TestCatalog>();
        m_window = test::openWorkbenchWindow(QSize(1280, 800));
        QVERIFY(m_window);
    }

    void cleanupTestCase()
    {
        if (m_window) {
            m_window->context().jobs().cancelAll();
            m_window->context().jobs().waitForAll(30000);
        }
        m_window.reset();
        m_catalog.reset();
    }

    void torchScriptModelOpensTheImportDialog()
    {
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(file(u"cnn.pt"_s))}));
        ImportModelDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<ImportModelDialog *>()) != nullptr, 10000);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->taskBox()->currentText(), u"image-classification"_s);
        SchemaForm *form = dialog->form();
        QCOMPARE(form->value(u"labels"_s).toString(), file(u"labels.txt"_s));  // found next to the model
        QCOMPARE(form->value(u"name"_s).toString(), u"cnn"_s);
        form->setValue(u"input-size"_s, 64);
        form->setValue(u"name"_s, u"dropped-cnn"_s);
        CatalogService &catalog = m_window->context().catalog();
        QSignalSpy imported(&catalog, &CatalogService::moduleImported);
        QString job;
        QVERIFY(dialog->submit(&job));
        QVERIFY(!job.isEmpty());
        QVERIFY(dialog->grab().save(screenshot(u"import-dialog"_s)));
        QVERIFY(imported.wait(60000));
        QCOMPARE(imported.first().first().toString(), u"dropped-cnn"_s);
        const CatalogEntry *entry = catalog.find(u"dropped-cnn"_s);
        QVERIFY(entry);
        QVERIFY(entry->isValid());
        QCOMPARE(entry->manifest.architecture, u"torchscript"_s);
        dialog->close();
    }

    void badImportStaysInTheDialog()
    {
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(file(u"plain.pt"_s))}));
        ImportModelDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<ImportModelDialog *>()) && dialog->isVisible(), 10000);
        dialog->form()->setValue(u"name"_s, u"dropped-cnn"_s);  // taken already
        QVERIFY(!dialog->submit());
        auto *problem = dialog->findChild<QLabel *>(u"importProblem"_s);
        QVERIFY(problem && problem->isVisible());
        QVERIFY2(problem->text().contains(u"already exists"_s), qPrintable(problem->text()));
        dialog->close();
    }

    void trainFormOffersTheModuleAsAStart()
    {
        auto *train = m_window->workspace<TrainingWorkspace>();
        QVERIFY(train);
        QVERIFY(m_window->setCurrentWorkspace(u"train"_s));
        QVERIFY(train->newModule(u"image-classification"_s));
        auto *start = qobject_cast<QComboBox *>(train->form()->editor(u"init"_s));
        QVERIFY(start);
        QVERIFY(start->isEditable());
        QCOMPARE(start->currentText(), u"auto"_s);
        for (const QString &item : {u"imagenet"_s, u"random"_s, u"dropped-cnn"_s})
            QVERIFY2(start->findText(item) >= 0, qPrintable(item));
        train->form()->setValue(u"init"_s, u"imagenet"_s);
        train->tabs()->setCurrentIndex(1);
        QTest::qWait(100);
        if (auto *scroll = qobject_cast<QScrollArea *>(train->form()->parentWidget()->parentWidget()))
            scroll->ensureWidgetVisible(start);
        QTest::qWait(100);
        QVERIFY(m_window->grab().save(screenshot(u"train-start-from"_s)));
        QVERIFY(m_window->setCurrentWorkspace(u"catalog"_s));
        m_window->context().showModule(u"dropped-cnn"_s);
        QTest::qWait(200);
        QVERIFY(m_window->grab().save(screenshot(u"torchscript-module-page"_s)));
    }

    void weightsDialogListsTheCache()
    {
        WeightsDialog dialog(m_window->context(), m_window.get());
        QSignalSpy refreshed(&dialog, &WeightsDialog::refreshed);
        dialog.show();
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(dialog.table()->rowCount(), int(dw::weights::registry().size()));
        int tinynet = -1;
        for (int row = 0; row < dialog.table()->rowCount(); ++row)
            if (dialog.table()->item(row, 2)->text() == QFileInfo(m_weights).fileName())
                tinynet = row;
        QVERIFY(tinynet >= 0);
        QCOMPARE(dialog.table()->item(tinynet, 6)->text(), u"no"_s);
        QVERIFY(dialog.grab().save(screenshot(u"weights-dialog"_s)));
    }

    void weightsGoToTheCache()
    {
        CatalogService &catalog = m_window->context().catalog();
        QSignalSpy imported(&catalog, &CatalogService::weightsImported);
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(m_weights)}));
        QVERIFY(imported.wait(30000));
        const QString cached = imported.first().at(1).toString();
        QCOMPARE(QFileInfo(cached).absolutePath(), QFileInfo(file(u"cache/x"_s)).absolutePath());
        QVERIFY(QFile::exists(cached));
    }

    void otherFilesGetAMessage()
    {
        QSignalSpy shown(&m_window->context().messages(), &MessagePresenter::messageShown);
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(file(u"notes.pth"_s))}));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
        QVERIFY2(shown.first().at(2).toString().contains(u"not a PyTorch file"_s),
                 qPrintable(shown.first().at(2).toString()));
    }
};

QTEST_MAIN(TestImportTorchFiles)
#include "test_import_torch_files.moc"
