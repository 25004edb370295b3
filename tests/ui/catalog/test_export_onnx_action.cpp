// Export as ONNX… in the catalog: enabled for a trained module only, its dialog (suggested
// file, the normalisation choice by task), the export job through the image-classification
// plugin on the demo module fashion-mnist-demo (an ONNX file with the module's metadata, and
// a status message), and the refusals: a template, and a plugin error shown as a message
// with no file left behind. With DW_SCREENSHOT_DIR set, the dialog is saved there as PNG.
#include "gui/gui_test_support.h"
#include "gui/workbench_window.h"

#include "core/catalog/catalog_entry.h"
#include "core/jobs/job_manager.h"
#include "core/onnx/onnx_graph.h"
#include "ui/catalog/catalog_actions.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/catalog/export_onnx_dialog.h"
#include "ui/message_presenter.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kDemo = u"fashion-mnist-demo"_s;
const QString kTemplate = u"image-classifier"_s;

}  // namespace

class TestExportOnnxAction : public QObject {
    Q_OBJECT

    QTemporaryDir m_settings, m_out;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;

    CatalogWorkspace *workspace() const { return m_window->findChild<CatalogWorkspace *>(); }
    CatalogActions *actions() const { return workspace()->actions(); }
    CatalogService &catalog() const { return m_window->context().catalog(); }
    QString out(const QString &name) const { return m_out.filePath(name); }

    // The first bytes of an ONNX ModelProto: field 1 (ir_version) as a varint.
    static bool looksLikeOnnx(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        const QByteArray head = file.read(2);
        return head.size() == 2 && head.at(0) == 0x08 && head.at(1) > 0;
    }

    // Waits for the export job: true on the success signal, false on a message (a failure,
    // its text in *error) or after two minutes.
    bool exportAndWait(const QString &id, const QString &file, bool fold, QString *error = nullptr)
    {
        QSignalSpy exported(&catalog(), &CatalogService::moduleExportedAsOnnx);
        QSignalSpy messages(&m_window->context().messages(), &MessagePresenter::messageShown);
        actions()->exportOnnx(id, file, fold);
        const bool finished = QTest::qWaitFor([&] { return exported.count() + messages.count() > 0; }, 120000);
        if (!finished && error)
            *error = u"the export did not finish within 2 minutes"_s;
        if (error && !messages.isEmpty())
            *error = messages.first().at(2).toString();
        return !exported.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_out.isValid());
        test::isolateSettings(m_settings.path());
        qputenv("DEEPWB_PLUGIN_PATH", DW_PLUGIN_DIR);  // the task plugins of this build
        m_catalog = std::make_unique<test::TestCatalog>();
        // The shipped demo modules, from this source tree (read only: the export writes elsewhere).
        qputenv("DEEPWB_DEMO_MODULES", QByteArray(DW_SOURCE_DIR "/resources/demo-modules"));
        m_window = test::openWorkbenchWindow(QSize(1280, 800));
        QVERIFY(m_window);
        QVERIFY(workspace());
        QVERIFY2(catalog().find(kDemo), "the demo module is not in the catalog");
        QVERIFY(catalog().find(kTemplate));
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

    void enabledForTrainedModulesOnly()
    {
        QAction *action = actions()->exportOnnxAction();
        QCOMPARE(action->text(), u"Export as &ONNX…"_s);
        QVERIFY(action->toolTip().contains(u"QGIS Deepness"_s));
        QVERIFY(workspace()->selectModule(kDemo));
        QVERIFY(action->isEnabled());
        QVERIFY(workspace()->selectModule(kTemplate));
        QVERIFY(!action->isEnabled());
        QVERIFY2(action->toolTip().contains(u"template"_s), qPrintable(action->toolTip()));
        QVERIFY(actions()->exportAction()->isEnabled());  // a template still exports as an archive
    }

    void exportsTheDemoModule()
    {
        const QString file = out(u"demo.onnx"_s);
        QSignalSpy status(&m_window->context(), &WorkbenchContext::statusMessage);
        QString error;
        QVERIFY2(exportAndWait(kDemo, file, false, &error), qPrintable(error));
        QVERIFY(QFileInfo(file).size() > 0);
        QVERIFY(looksLikeOnnx(file));
        const Result<QMap<QString, QString>> metadata = readOnnxMetadata(file);
        QVERIFY2(metadata, metadata ? "" : qPrintable(metadata.error().message));
        QCOMPARE(metadata->value(u"module_id"_s), kDemo);
        QCOMPARE(metadata->value(u"normalization_in_graph"_s), u"false"_s);
        QVERIFY(!status.isEmpty());
        const QString text = status.last().first().toString();
        QVERIFY2(text.startsWith(u"Exported %1 to %2 (ONNX opset "_s.arg(kDemo, QDir::toNativeSeparators(file))),
                 qPrintable(text));
        QVERIFY2(text.contains(u" nodes)"_s), qPrintable(text));
    }

    void dialogCollectsTheChoices()
    {
        QVERIFY(workspace()->selectModule(kDemo));
        actions()->exportOnnxAction()->trigger();
        ExportOnnxDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<ExportOnnxDialog *>()) && dialog->isVisible());
        QCOMPARE(QFileInfo(dialog->file()).fileName(), kDemo + u".onnx"_s);
        QVERIFY(!dialog->foldBox()->isChecked());  // classifiers: Deepness normalises with the metadata
        QVERIFY(dialog->foldBox()->isEnabled());
        if (const QString folder = qEnvironmentVariable("DW_SCREENSHOT_DIR"); !folder.isEmpty())
            QVERIFY(dialog->grab().save(QDir(folder).filePath(u"export-onnx-dialog.png"_s)));
        dialog->fileEdit()->setText(QDir::toNativeSeparators(out(u"folded"_s)));  // ".onnx" is added
        dialog->foldBox()->setChecked(true);
        QSignalSpy exported(&catalog(), &CatalogService::moduleExportedAsOnnx);
        dialog->accept();
        QVERIFY(exported.wait(120000));
        const QString file = out(u"folded.onnx"_s);
        QCOMPARE(exported.first().at(1).toString(), file);
        QVERIFY(looksLikeOnnx(file));
        const Result<QMap<QString, QString>> metadata = readOnnxMetadata(file);
        QVERIFY(metadata);
        QCOMPARE(metadata->value(u"normalization_in_graph"_s), u"true"_s);
    }

    void foldingDependsOnTheTask_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<bool>("offered");
        QTest::addColumn<bool>("byDefault");
        QTest::newRow("classifier") << u"image-classification"_s << true << false;
        QTest::newRow("super-resolution") << u"super-resolution"_s << true << true;
        QTest::newRow("forecaster") << u"time-series"_s << false << false;
    }

    void foldingDependsOnTheTask()
    {
        QFETCH(QString, task);
        QFETCH(bool, offered);
        QFETCH(bool, byDefault);
        CatalogEntry entry;
        entry.manifest.id = u"m"_s;
        entry.manifest.task = task;
        ExportOnnxDialog dialog(entry, out(u"m.onnx"_s));
        QCOMPARE(dialog.foldBox()->isEnabled(), offered);
        QCOMPARE(dialog.foldNormalization(), byDefault);
        QCOMPARE(ExportOnnxDialog::foldExplanation(task).isEmpty(), !offered);
    }

    void templateIsRefused()
    {
        const QString file = out(u"template.onnx"_s);
        QSignalSpy messages(&m_window->context().messages(), &MessagePresenter::messageShown);
        QString error;
        QVERIFY(!exportAndWait(kTemplate, file, false, &error));
        QCOMPARE(messages.first().first().value<MessagePresenter::Severity>(), MessagePresenter::Severity::Error);
        QVERIFY2(error.contains(u"template"_s), qPrintable(error));
        QVERIFY(!QFileInfo::exists(file));
    }

    void pluginErrorIsShownAndNoFileLeft()
    {
        // The plugin refuses a file in a folder that does not exist: its words reach the user.
        const QString file = out(u"missing/folder/demo.onnx"_s);
        QString error;
        QVERIFY(!exportAndWait(kDemo, file, false, &error));
        QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
        QVERIFY(!QFileInfo::exists(file));
        QVERIFY(!QFileInfo::exists(out(u"missing"_s)));
    }
};

QTEST_MAIN(TestExportOnnxAction)
#include "test_export_onnx_action.moc"
