// deepwb weights list|fetch|import|remove: torchvision's ImageNet weights that training can
// start from, kept once in the user's cache folder.
#include "command_parser.h"
#include "commands.h"
#include "job_runner.h"

#include "core/weights/pretrained_weights.h"
#include "core/weights/weight_cache.h"
#include "core/weights/weight_download.h"

#include <QFileInfo>
#include <QJsonArray>

#include <functional>
#include <map>

namespace dw::cli {

namespace {

using weights::PretrainedWeights;
using weights::WeightCache;

QString millions(qint64 count)
{
    return QStringLiteral("%1M").arg(double(count) / 1e6, 0, 'f', 1);
}

QString knownKeys()
{
    return QStringLiteral("%1, ARCH:VARIANT or a file name (see 'deepwb weights list')")
        .arg(weights::architectures().join(QStringLiteral(", ")));
}

int weightsList(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("weights list"),
                      QStringLiteral("List torchvision's ImageNet-1k weights for the workbench's architectures and "
                                     "which are in the cache."),
                      false);
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;
    const WeightCache cache;
    QJsonArray list;
    QList<QStringList> rows;
    for (const PretrainedWeights &w : weights::registry()) {
        const std::optional<weights::CachedWeights> cached = cache.cached(w);
        QJsonObject item = w.toJson();
        item.insert(QStringLiteral("cached"), cached.has_value());
        item.insert(QStringLiteral("path"), cached ? cached->path : QString());
        item.insert(QStringLiteral("torch_hub"), cached && cached->torchHub);
        list.append(item);
        rows << QStringList{w.architecture,
                            w.variant,
                            w.isDefault ? QStringLiteral("yes") : QString(),
                            w.fileName,
                            QString::number(w.sizeInMiB(), 'f', 1),
                            QString::number(w.top1, 'f', 2),
                            millions(w.parameters),
                            cached ? cached->path : QStringLiteral("no")};
    }
    const Output out = cmd.output();
    out.document(QJsonObject{
        {QStringLiteral("folder"), cache.folder()},
        {QStringLiteral("base_url"), weights::baseUrl()},
        {QStringLiteral("torch_hub_folders"), QJsonArray::fromStringList(WeightCache::torchHubDirectories())},
        {QStringLiteral("weights"), list}});
    out.table({QStringLiteral("ARCH"), QStringLiteral("VARIANT"), QStringLiteral("DEFAULT"), QStringLiteral("FILE"),
               QStringLiteral("MB"), QStringLiteral("TOP-1"), QStringLiteral("PARAMS"), QStringLiteral("CACHED")},
              rows);
    out.line();
    out.line(QStringLiteral("cache folder: %1").arg(cache.folder()));
    out.line(QStringLiteral("download from: %1").arg(weights::baseUrl()));
    out.line(weights::termsNote());
    return ExitOk;
}

int weightsFetch(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("weights fetch"),
                      QStringLiteral("Download weights into the cache (a file already there is reused). Ctrl-C stops "
                                     "and keeps the partial file; the next fetch continues it."),
                      false);
    cmd.addPositional(QStringLiteral("WEIGHTS"),
                      QStringLiteral("ARCH (its default weights), ARCH:VARIANT or a file name."),
                      QStringLiteral("WEIGHTS..."));
    cmd.addOption({QStringLiteral("all"), QStringLiteral("Fetch every file of the list.")});
    if (auto stop = cmd.parse(args, 0, -1))
        return *stop;
    const bool all = cmd.isSet(QStringLiteral("all"));
    if (all == !cmd.positional().isEmpty()) {
        Output::error(
            QStringLiteral("give the weights to fetch (%1) or --all, not both (see 'deepwb weights fetch --help')")
                .arg(knownKeys()));
        return ExitUsage;
    }
    std::vector<const PretrainedWeights *> wanted;
    if (all) {
        for (const PretrainedWeights &w : weights::registry())
            wanted.push_back(&w);
    } else {
        for (const QString &key : cmd.positional()) {
            const PretrainedWeights *w = weights::find(key);
            if (!w) {
                Output::error(QStringLiteral("no pretrained weights '%1': give %2").arg(key, knownKeys()));
                return ExitFailure;
            }
            wanted.push_back(w);
        }
    }

    const Output out = cmd.output();
    const WeightCache cache;
    QJsonArray results;
    bool failed = false;
    for (const PretrainedWeights *w : wanted) {
        QJsonObject item{{QStringLiteral("file"), w->fileName},
                         {QStringLiteral("architecture"), w->architecture},
                         {QStringLiteral("variant"), w->variant}};
        Result<QString> path = QString();
        bool reused = false;
        if (std::optional<QString> cached = cache.cachedPath(*w)) {
            path = *cached;
            reused = true;
        } else {
            JobRunner runner(QStringLiteral("cpu"));
            QString fetched;
            const Result<TaskResult> run =
                runner.run(QStringLiteral("weights-fetch"), [&](JobContext &context) -> Result<TaskResult> {
                    Result<QString> done = weights::fetchWeights(*w, cache, context);
                    if (!done)
                        return done.error();
                    fetched = *done;
                    return TaskResult{JsonResult{}};
                });
            path = run ? Result<QString>(fetched) : Result<QString>(run.error());
            if (runner.wasInterrupted()) {
                Output::error(path ? QStringLiteral("interrupted") : path.error().text());
                item.insert(QStringLiteral("ok"), false);
                item.insert(QStringLiteral("error"), path ? QStringLiteral("interrupted") : path.error().text());
                results.append(item);
                out.document(
                    QJsonObject{{QStringLiteral("folder"), cache.folder()}, {QStringLiteral("results"), results}});
                return ExitFailure;
            }
        }
        item.insert(QStringLiteral("ok"), path.ok());
        if (path) {
            item.insert(QStringLiteral("path"), *path);
            item.insert(QStringLiteral("reused"), reused);
            item.insert(QStringLiteral("sha256"), cache.recordedSha256(w->fileName));
            out.line(QStringLiteral("%1: %2%3")
                         .arg(w->fileName, *path, reused ? QStringLiteral(" (already cached)") : QString()));
        } else {
            failed = true;
            item.insert(QStringLiteral("error"), path.error().text());
            Output::error(path.error().text());
        }
        results.append(item);
    }
    out.document(QJsonObject{{QStringLiteral("folder"), cache.folder()}, {QStringLiteral("results"), results}});
    return failed ? ExitFailure : ExitOk;
}

int weightsImport(const QStringList &args)
{
    CommandParser cmd(
        QStringLiteral("weights import"),
        QStringLiteral("Put weight files downloaded by hand into the cache, after checking their SHA-256."), false);
    cmd.addPositional(QStringLiteral("FILE"),
                      QStringLiteral("A torchvision weight file (.pth), e.g. resnet18-f37072fd.pth."),
                      QStringLiteral("FILE..."));
    if (auto stop = cmd.parse(args, 1, -1))
        return *stop;
    const Output out = cmd.output();
    WeightCache cache;
    QJsonArray results;
    bool failed = false;
    for (const QString &file : cmd.positional()) {
        QJsonObject item{{QStringLiteral("source"), QFileInfo(file).absoluteFilePath()}};
        const Result<QString> imported = cache.importFile(file);
        item.insert(QStringLiteral("ok"), imported.ok());
        if (imported) {
            item.insert(QStringLiteral("path"), *imported);
            item.insert(QStringLiteral("file"), QFileInfo(*imported).fileName());
            out.line(QStringLiteral("imported %1 as %2").arg(file, *imported));
        } else {
            failed = true;
            item.insert(QStringLiteral("error"), imported.error().text());
            Output::error(imported.error().text());
        }
        results.append(item);
    }
    out.document(QJsonObject{{QStringLiteral("folder"), cache.folder()}, {QStringLiteral("results"), results}});
    return failed ? ExitFailure : ExitOk;
}

int weightsRemove(const QStringList &args)
{
    CommandParser cmd(
        QStringLiteral("weights remove"),
        QStringLiteral("Delete cached weight files (and partial downloads); torchvision's own copies are left alone."),
        false);
    cmd.addPositional(QStringLiteral("WEIGHTS"),
                      QStringLiteral("ARCH (all its variants), ARCH:VARIANT or a file name."),
                      QStringLiteral("WEIGHTS..."));
    if (auto stop = cmd.parse(args, 1, -1))
        return *stop;
    const Output out = cmd.output();
    WeightCache cache;
    QJsonArray results;
    bool failed = false;
    for (const QString &key : cmd.positional()) {
        const Result<void> removed = cache.remove(key);
        QJsonObject item{{QStringLiteral("key"), key}, {QStringLiteral("ok"), removed.ok()}};
        if (removed) {
            out.line(QStringLiteral("removed %1 from %2").arg(key, cache.folder()));
        } else {
            failed = true;
            item.insert(QStringLiteral("error"), removed.error().text());
            Output::error(removed.error().text());
        }
        results.append(item);
    }
    out.document(QJsonObject{{QStringLiteral("folder"), cache.folder()}, {QStringLiteral("results"), results}});
    return failed ? ExitFailure : ExitOk;
}

}  // namespace

int runWeightsCommand(const QStringList &args)
{
    const std::map<QString, std::function<int(const QStringList &)>> subcommands{
        {QStringLiteral("list"), weightsList},
        {QStringLiteral("fetch"), weightsFetch},
        {QStringLiteral("import"), weightsImport},
        {QStringLiteral("remove"), weightsRemove},
    };
    if (args.isEmpty() || !subcommands.contains(args.first())) {
        Output::error(args.isEmpty()
                          ? QStringLiteral("'deepwb weights' needs a subcommand: list, fetch, import, remove")
                          : QStringLiteral("unknown subcommand 'weights %1': use list, fetch, import or remove")
                                .arg(args.first()));
        return ExitUsage;
    }
    return subcommands.at(args.first())(args.mid(1));
}

}  // namespace dw::cli
