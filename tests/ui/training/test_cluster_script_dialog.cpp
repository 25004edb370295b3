// Run on a cluster… (ui/training/cluster_script_dialog): the fields make the Slurm job, the
// paths of the command are asked for on the cluster, bad fields are named and nothing is
// written, Write Files writes the script and the parent's archive off the GUI thread and shows
// the script. In the Train workspace, the button turns the form into the same command line
// that deepwb takes (time-series and a re-trained demo module). Screenshot of the dialog to
// DW_SCREENSHOT_DIR (default <build>/screenshots).
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "gui/gui_test_support.h"
#include "gui/workbench_window.h"
#include "timeseries_fixture.h"
#include "ui/message_presenter.h"
#include "ui/training/cluster_script_dialog.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kDemos = QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules");

template <class T>
T *field(const QWidget *dialog, const QString &name)
{
    return dialog->findChild<T *>(name);
}

}  // namespace

class TestClusterScriptDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QTemporaryDir m_settings;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<JobManager> m_jobs;

    QString localCatalog() const { return m_dir.filePath(u"catalog"_s); }
    std::unique_ptr<ClusterScriptDialog> dialogFor(const QStringList &command, const QStringList &pathFlags = {})
    {
        return std::make_unique<ClusterScriptDialog>(*m_jobs, localCatalog(), command, pathFlags);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::isolateSettings(m_settings.path());
        qputenv("DEEPWB_PLUGIN_PATH", QByteArray(DW_PLUGIN_DIR));
        m_catalog = std::make_unique<test::TestCatalog>();
        // After the test catalog, which hides them: a re-training starts from a demo module.
        qputenv("DEEPWB_DEMO_MODULES", kDemos.toUtf8());
        m_jobs = std::make_unique<JobManager>();
    }

    void cleanupTestCase()
    {
        m_jobs->waitForAll(30000);
        m_jobs.reset();
        m_catalog.reset();
    }

    void theFieldsMakeTheJob()
    {
        auto dialog = dialogFor(
            {u"train"_s, u"time-series"_s, u"--csv"_s, u"/home/me/flow.csv"_s, u"--name"_s, u"river"_s}, {u"csv"_s});
        field<QSpinBox>(dialog.get(), u"clusterNodes"_s)->setValue(3);
        field<QSpinBox>(dialog.get(), u"clusterGpusPerNode"_s)->setValue(2);
        field<QLineEdit>(dialog.get(), u"clusterPartition"_s)->setText(u"gpu"_s);
        field<QLineEdit>(dialog.get(), u"clusterTimeLimit"_s)->setText(u"1-00:00:00"_s);
        field<QLineEdit>(dialog.get(), u"clusterCatalog"_s)->setText(u"/scratch/my catalog"_s);
        QLineEdit *csv = field<QLineEdit>(dialog.get(), u"clusterPath-csv"_s);
        QVERIFY(csv);
        QCOMPARE(csv->text(), u"/home/me/flow.csv"_s);  // the path here, to be changed
        csv->setText(u"/scratch/data/river flow.csv"_s);

        const SlurmJob job = dialog->job();
        QCOMPARE(job.nodes, 3);
        QCOMPARE(job.gpusPerNode, 2);
        QCOMPARE(slurmTasksPerNode(job), 2);  // one rank per GPU: the tasks field is off
        QVERIFY(!field<QSpinBox>(dialog.get(), u"clusterTasksPerNode"_s)->isEnabled());
        QCOMPARE(job.partition, u"gpu"_s);
        QCOMPARE(job.timeLimit, u"1-00:00:00"_s);
        QCOMPARE(job.command, (QStringList{u"train"_s, u"time-series"_s, u"--csv"_s, u"/scratch/data/river flow.csv"_s,
                                           u"--name"_s, u"river"_s}));
        QCOMPARE(dialog->preview()->toPlainText(), u"srun deepwb train time-series --csv '/scratch/data/river "
                                                   u"flow.csv' --name river --device cuda --distributed "
                                                   "--catalog '/scratch/my catalog'"_s);
        QVERIFY2(dialog->statusLabel()->text().contains(u"6 rank"_s), qPrintable(dialog->statusLabel()->text()));

        field<QSpinBox>(dialog.get(), u"clusterGpusPerNode"_s)->setValue(0);
        field<QSpinBox>(dialog.get(), u"clusterTasksPerNode"_s)->setValue(4);
        QVERIFY(field<QSpinBox>(dialog.get(), u"clusterTasksPerNode"_s)->isEnabled());
        QCOMPARE(slurmTasksPerNode(dialog->job()), 4);
    }

    void badFieldsAreNamedAndNothingIsWritten_data()
    {
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("says");
        QTest::newRow("time limit") << u"four hours"_s << u"out"_s << u"HH:MM:SS"_s;
        QTest::newRow("no folder") << u"04:00:00"_s << QString() << u"folder"_s;
    }

    void badFieldsAreNamedAndNothingIsWritten()
    {
        QFETCH(QString, time);
        QFETCH(QString, folder);
        QFETCH(QString, says);
        auto dialog = dialogFor({u"train"_s, u"time-series"_s, u"--csv"_s, u"/d.csv"_s, u"--name"_s, u"n"_s});
        field<QLineEdit>(dialog.get(), u"clusterTimeLimit"_s)->setText(time);
        const QString out = folder.isEmpty() ? QString() : m_dir.filePath(folder);
        dialog->setOutputFolder(out);
        QSignalSpy failed(dialog.get(), &ClusterScriptDialog::writeFailed);
        QTest::mouseClick(field<QPushButton>(dialog.get(), u"writeClusterFiles"_s), Qt::LeftButton);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains(says), qPrintable(failed.first().first().toString()));
        QVERIFY(dialog->statusLabel()->text().contains(says));
        QVERIFY(dialog->runningJob().isEmpty());
        QVERIFY(out.isEmpty() || !QFileInfo::exists(out));
    }

    void writesTheScriptAndTheParentsArchive()
    {
        auto dialog = dialogFor({u"retrain"_s, u"fashion-mnist-demo"_s, u"--data"_s, u"/home/alice/plankton"_s,
                                 u"--epochs"_s, u"30"_s, u"--freeze"_s, u"partial"_s, u"--name"_s, u"plankton-v2"_s},
                                {u"data"_s});
        dialog->resize(900, 700);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        field<QSpinBox>(dialog.get(), u"clusterNodes"_s)->setValue(2);
        field<QSpinBox>(dialog.get(), u"clusterGpusPerNode"_s)->setValue(4);
        field<QLineEdit>(dialog.get(), u"clusterPartition"_s)->setText(u"gpu"_s);
        field<QLineEdit>(dialog.get(), u"clusterTimeLimit"_s)->setText(u"12:00:00"_s);
        field<QLineEdit>(dialog.get(), u"clusterCatalog"_s)->setText(u"/scratch/alice/deepwb-catalog"_s);
        field<QLineEdit>(dialog.get(), u"clusterPath-data"_s)->setText(u"/scratch/alice/plankton images"_s);
        const QString out = m_dir.filePath(u"plankton on the cluster"_s);
        dialog->setOutputFolder(out);

        QSignalSpy written(dialog.get(), &ClusterScriptDialog::filesWritten);
        QTest::mouseClick(field<QPushButton>(dialog.get(), u"writeClusterFiles"_s), Qt::LeftButton);
        QVERIFY(!dialog->runningJob().isEmpty());  // a job, not the GUI thread
        QVERIFY(written.wait(60000));
        const QString script = written.first().at(0).toString();
        const QString archive = written.first().at(1).toString();
        QCOMPARE(script, QDir(out).absoluteFilePath(u"plankton-v2.slurm"_s));
        QCOMPARE(archive, QDir(out).absoluteFilePath(u"fashion-mnist-demo.dwm"_s));
        QVERIFY(QFileInfo(archive).size() > 0);
        QVERIFY(QFileInfo(script).isExecutable());
        const QString shown = dialog->preview()->toPlainText();
        QVERIFY(shown.startsWith(u"#!/bin/bash\n"_s));
        QVERIFY(shown.contains(u"#SBATCH --gpus-per-node=4\n"_s));
        QVERIFY(shown.contains(u"\nsrun deepwb retrain fashion-mnist-demo --data '/scratch/alice/plankton images' "
                               "--epochs 30 --freeze partial --name plankton-v2 --device cuda --distributed --catalog "
                               "/scratch/alice/deepwb-catalog\n"_s));
        QVERIFY(dialog->statusLabel()->text().contains(u"sbatch plankton-v2.slurm"_s));
        QProcess bash;
        bash.start(u"bash"_s, {u"-n"_s, script});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitCode(), 0);

        const QString folder = qEnvironmentVariable("DW_SCREENSHOT_DIR", QStringLiteral(DW_BUILD_DIR "/screenshots"));
        QVERIFY(QDir().mkpath(folder));
        QTest::qWait(100);  // the status line laid out again for its new text
        QVERIFY(dialog->grab().save(folder + u"/cluster-script-dialog.png"_s));
    }

    void theTrainFormBecomesTheCommand()
    {
        if (!PluginManager::instance().plugin(u"time-series"_s))
            QSKIP("the time-series plugin is not built: the Train form has no task to turn into a command");
        const QString csv = m_dir.filePath(u"sine data.csv"_s);
        QVERIFY(test::writeSineCsv(csv, 300));
        auto window = test::openWorkbenchWindow();
        QVERIFY(window);
        auto *train = window->workspace<TrainingWorkspace>();
        QVERIFY(train);
        QVERIFY(window->setCurrentWorkspace(u"train"_s));
        QVERIFY(train->newModule(u"time-series"_s));

        // No name yet: the form says so, no dialog.
        train->form()->setValue(u"name"_s, QString());
        QSignalSpy messages(&window->context().messages(), &MessagePresenter::messageShown);
        QVERIFY(!train->openClusterDialog());
        QCOMPARE(messages.count(), 1);

        train->form()->setValue(u"csv"_s, csv);
        train->form()->setValue(u"target"_s, u"value"_s);
        train->form()->setValue(u"epochs"_s, 7);
        train->form()->setValue(u"name"_s, u"Sine on the Cluster"_s);
        const Result<QStringList> command = train->trainCommand();
        QVERIFY2(command, command ? "" : qPrintable(command.error().text()));
        qInfo("the form as a command: deepwb %s", qPrintable(shellCommand(*command)));
        QCOMPARE(command->mid(0, 2), (QStringList{u"train"_s, u"time-series"_s}));
        QCOMPARE(command->at(command->indexOf(u"--csv"_s) + 1), csv);
        QCOMPARE(command->at(command->indexOf(u"--epochs"_s) + 1), u"7"_s);
        QCOMPARE(command->at(command->indexOf(u"--name"_s) + 1), u"sine-on-the-cluster"_s);  // the id it becomes
        QVERIFY(!command->contains(u"--output"_s));

        auto *button = train->findChild<QPushButton *>(u"runOnCluster"_s);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        auto *dialog = train->findChild<ClusterScriptDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->command(), *command);
        QVERIFY(dialog->findChild<QLineEdit *>(u"clusterPath-csv"_s));
        dialog->close();
        QTRY_VERIFY(!train->findChild<ClusterScriptDialog *>());  // deleted on close

        // Re-training a demo module: `retrain ID`, the parent named by its id.
        QVERIFY(train->retrain(u"sunspots-demo"_s));
        train->form()->setValue(u"csv"_s, csv);
        train->form()->setValue(u"target"_s, u"value"_s);
        const Result<QStringList> retrain = train->trainCommand();
        QVERIFY2(retrain, retrain ? "" : qPrintable(retrain.error().text()));
        QCOMPARE(retrain->mid(0, 2), (QStringList{u"retrain"_s, u"sunspots-demo"_s}));
        QCOMPARE(retrain->at(retrain->indexOf(u"--name"_s) + 1), u"sunspots-demo-retrained"_s);
        QVERIFY(!retrain->contains(u"--parent"_s));
        window->context().jobs().cancelAll();
        window->context().jobs().waitForAll(30000);
    }
};

QTEST_MAIN(TestClusterScriptDialog)
#include "test_cluster_script_dialog.moc"
