// Where a process stands in a data-parallel run, read from torchrun's, Slurm's and Open MPI's
// environments, with every wrong environment refused with the variable it is about; Slurm node
// lists; and each rank's share of an epoch, checked against PyTorch's own DistributedSampler
// (Debian's python3-torch) for several sizes and world sizes.
#include "core/ml/distributed_launch.h"
#include "core/ml/distributed_shard.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <numeric>

using namespace Qt::StringLiterals;
using dw::ml::distributedLaunchFrom;

namespace {

QProcessEnvironment environment(const QMap<QString, QString> &values)
{
    QProcessEnvironment env;
    for (auto it = values.begin(); it != values.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

}  // namespace

class TestDistributedLaunch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void torchrun()
    {
        const auto launch = distributedLaunchFrom(environment({{u"RANK"_s, u"1"_s},
                                                               {u"WORLD_SIZE"_s, u"2"_s},
                                                               {u"LOCAL_RANK"_s, u"1"_s},
                                                               {u"MASTER_ADDR"_s, u"127.0.0.1"_s},
                                                               {u"MASTER_PORT"_s, u"29511"_s},
                                                               {u"TORCHELASTIC_RUN_ID"_s, u"x"_s}}),
                                                  false);
        QVERIFY2(launch.ok(), launch.ok() ? "" : qPrintable(launch.error().text()));
        QVERIFY(launch->has_value());
        const dw::ml::DistributedLaunch &l = **launch;
        QCOMPARE(l.launcher, u"torchrun"_s);
        QCOMPARE(l.rank, 1);
        QCOMPARE(l.worldSize, 2);
        QCOMPARE(l.localRank, 1);
        QCOMPARE(l.masterAddress, u"127.0.0.1"_s);
        QCOMPARE(l.masterPort, quint16(29511));
        QVERIFY(!l.isLeader());
        QVERIFY(!l.storeServedByLauncher);
        QCOMPARE(l.describe(), u"rank 1 of 2 (torchrun, rendezvous 127.0.0.1:29511)"_s);
    }

    void plainVariablesAndDefaults()
    {
        const auto launch = distributedLaunchFrom(
            environment({{u"RANK"_s, u"0"_s}, {u"WORLD_SIZE"_s, u"3"_s}, {u"MASTER_ADDR"_s, u"node7"_s}}), false);
        QVERIFY(launch.ok() && launch->has_value());
        QCOMPARE((*launch)->launcher, u"environment"_s);
        QCOMPARE((*launch)->masterPort, quint16(29500));
        QCOMPARE((*launch)->localRank, 0);
        // A world of one without --distributed is an ordinary run; with it, a run of one rank.
        const QMap<QString, QString> one{{u"RANK"_s, u"0"_s}, {u"WORLD_SIZE"_s, u"1"_s}, {u"MASTER_ADDR"_s, u"h"_s}};
        QVERIFY(distributedLaunchFrom(environment(one), false).ok());
        QVERIFY(!distributedLaunchFrom(environment(one), false)->has_value());
        QVERIFY(distributedLaunchFrom(environment(one), true)->has_value());
        // No launcher at all: an ordinary run, or an error that says how to launch.
        QVERIFY(!distributedLaunchFrom(environment({}), false)->has_value());
        const auto asked = distributedLaunchFrom(environment({}), true);
        QVERIFY(!asked.ok());
        QVERIFY2(asked.error().message.contains(u"torchrun"_s) && asked.error().message.contains(u"srun"_s),
                 qPrintable(asked.error().message));
    }

    void slurm()
    {
        const QMap<QString, QString> values{{u"SLURM_PROCID"_s, u"5"_s},
                                            {u"SLURM_NTASKS"_s, u"8"_s},
                                            {u"SLURM_LOCALID"_s, u"1"_s},
                                            {u"SLURM_JOB_NODELIST"_s, u"gpu[07-10,12],login1"_s}};
        // Only with --distributed: a plain command in a batch script sees SLURM_NTASKS too.
        QVERIFY(!distributedLaunchFrom(environment(values), false)->has_value());
        const auto launch = distributedLaunchFrom(environment(values), true);
        QVERIFY2(launch.ok(), launch.ok() ? "" : qPrintable(launch.error().text()));
        QCOMPARE((*launch)->launcher, u"slurm"_s);
        QCOMPARE((*launch)->rank, 5);
        QCOMPARE((*launch)->worldSize, 8);
        QCOMPARE((*launch)->localRank, 1);
        QCOMPARE((*launch)->masterAddress, u"gpu07"_s);
        // MASTER_ADDR and MASTER_PORT win over what the node list implies.
        QMap<QString, QString> overridden = values;
        overridden.insert(u"MASTER_ADDR"_s, u"10.0.0.2"_s);
        overridden.insert(u"MASTER_PORT"_s, u"31000"_s);
        const auto explicitly = distributedLaunchFrom(environment(overridden), true);
        QCOMPARE((*explicitly)->masterAddress, u"10.0.0.2"_s);
        QCOMPARE((*explicitly)->masterPort, quint16(31000));
    }

    void openMpi()
    {
        QMap<QString, QString> values{{u"OMPI_COMM_WORLD_RANK"_s, u"2"_s},
                                      {u"OMPI_COMM_WORLD_SIZE"_s, u"4"_s},
                                      {u"OMPI_COMM_WORLD_LOCAL_RANK"_s, u"0"_s},
                                      {u"OMPI_COMM_WORLD_LOCAL_SIZE"_s, u"4"_s}};
        const auto local = distributedLaunchFrom(environment(values), false);
        QVERIFY(local.ok() && local->has_value());
        QCOMPARE((*local)->launcher, u"mpi"_s);
        QCOMPARE((*local)->rank, 2);
        QCOMPARE((*local)->masterAddress, u"127.0.0.1"_s);  // every rank on this machine
        // Across machines the rendezvous host must be passed on.
        values.insert(u"OMPI_COMM_WORLD_LOCAL_SIZE"_s, u"2"_s);
        const auto spread = distributedLaunchFrom(environment(values), false);
        QVERIFY(!spread.ok());
        QCOMPARE(spread.error().field, u"MASTER_ADDR"_s);
        QVERIFY(spread.error().message.contains(u"mpirun -x MASTER_ADDR"_s));
    }

    void wrongEnvironments_data()
    {
        QTest::addColumn<QString>("variables");  // name=value;...
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("world size 0") << u"RANK=0;WORLD_SIZE=0;MASTER_ADDR=h"_s << u"WORLD_SIZE"_s << u"at least 1"_s;
        QTest::newRow("rank too high") << u"RANK=2;WORLD_SIZE=2;MASTER_ADDR=h"_s << u"RANK"_s
                                       << u"ranks go from 0 to 1"_s;
        QTest::newRow("negative rank") << u"RANK=-1;WORLD_SIZE=2;MASTER_ADDR=h"_s << u"RANK"_s << u"out of range"_s;
        QTest::newRow("not a number") << u"RANK=one;WORLD_SIZE=2;MASTER_ADDR=h"_s << u"RANK"_s
                                      << u"not a whole number"_s;
        QTest::newRow("rank only") << u"RANK=0;MASTER_ADDR=h"_s << u"WORLD_SIZE"_s << u"needs both"_s;
        QTest::newRow("no host") << u"RANK=0;WORLD_SIZE=2"_s << u"MASTER_ADDR"_s << u"set MASTER_ADDR"_s;
        QTest::newRow("port 0") << u"RANK=0;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=0"_s << u"MASTER_PORT"_s
                                << u"not a TCP port"_s;
        QTest::newRow("port too big") << u"RANK=0;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=70000"_s << u"MASTER_PORT"_s
                                      << u"not a TCP port"_s;
        QTest::newRow("slurm rank out of range")
            << u"SLURM_PROCID=4;SLURM_NTASKS=4;SLURM_JOB_NODELIST=n1"_s << u"SLURM_PROCID"_s << u"out of range"_s;
        QTest::newRow("mpi world 0") << u"OMPI_COMM_WORLD_RANK=0;OMPI_COMM_WORLD_SIZE=0"_s << u"OMPI_COMM_WORLD_SIZE"_s
                                     << u"at least 1"_s;
    }

    void wrongEnvironments()
    {
        QFETCH(QString, variables);
        QFETCH(QString, field);
        QFETCH(QString, says);
        QMap<QString, QString> values;
        for (const QString &pair : variables.split(u';'))
            values.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
        const auto launch = distributedLaunchFrom(environment(values), true);
        QVERIFY(!launch.ok());
        QCOMPARE(launch.error().field, field);
        QVERIFY2(launch.error().message.contains(says), qPrintable(launch.error().message));
    }

    void slurmNodeLists()
    {
        QCOMPARE(dw::ml::firstSlurmHost(u"node01"_s), u"node01"_s);
        QCOMPARE(dw::ml::firstSlurmHost(u"a,b,c"_s), u"a"_s);
        QCOMPARE(dw::ml::firstSlurmHost(u"node[003-005,9]"_s), u"node003"_s);
        QCOMPARE(dw::ml::firstSlurmHost(u"gpu[12,3-4]-ib,cpu1"_s), u"gpu12-ib"_s);
        QCOMPARE(dw::ml::firstSlurmHost(u"rack[1-2],x"_s), u"rack1"_s);
        QCOMPARE(dw::ml::firstSlurmHost(QString()), QString());
    }

    // Each rank's share against torch.utils.data.DistributedSampler(shuffle=False) over
    // range(n): the same positions, disjoint but for the padding, all of them covered.
    void shardsMatchPyTorchsDistributedSampler()
    {
        const QList<QPair<int, int>> cases{{10, 2}, {11, 2}, {7, 3}, {2, 4}, {64, 4}, {5, 1}};
        QString script = u"import json, torch.utils.data as d\nout = []\n"_s;
        for (const auto &[n, world] : cases)
            script += u"out.append([list(d.DistributedSampler(range(%1), num_replicas=%2, rank=r, shuffle=False)) "
                      "for r in range(%2)])\n"_s.arg(n)
                          .arg(world);
        script += u"print(json.dumps(out))\n"_s;
        QProcess python;
        python.start(u"/usr/bin/python3"_s, {u"-c"_s, script});
        QVERIFY2(python.waitForFinished(120000) && python.exitCode() == 0, python.readAllStandardError().constData());
        const QJsonArray expected = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
        QCOMPARE(expected.size(), cases.size());
        for (qsizetype c = 0; c < cases.size(); ++c) {
            const auto [n, world] = cases[c];
            std::vector<int> order(static_cast<std::size_t>(n));
            std::iota(order.begin(), order.end(), 0);
            std::vector<int> covered;
            for (int r = 0; r < world; ++r) {
                const dw::ml::DistributedShard shard{r, world};
                const std::vector<int> mine = shard.of(order);
                QCOMPARE(qint64(mine.size()), shard.sizeOf(n));
                const QJsonArray theirs = expected[c].toArray()[r].toArray();
                QCOMPARE(qsizetype(mine.size()), theirs.size());
                for (std::size_t i = 0; i < mine.size(); ++i)
                    QCOMPARE(mine[i], theirs[qsizetype(i)].toInt());
                covered.insert(covered.end(), mine.begin(), mine.end());
            }
            std::sort(covered.begin(), covered.end());
            covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
            QCOMPARE(int(covered.size()), n);
        }
        // Outside a distributed run the whole order, untouched.
        const std::vector<int> order{3, 1, 2};
        QCOMPARE(dw::ml::DistributedShard{}.of(order), order);
    }
};

QTEST_GUILESS_MAIN(TestDistributedLaunch)
#include "test_distributed_launch.moc"
