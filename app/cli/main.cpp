// deepwb: the command line of DEEP Workbench, for headless and HPC runs.
#include "cli_output.h"
#include "commands.h"

#include "core/util/heap_tuning.h"

#include <QCoreApplication>
#include <QTextStream>

#include <functional>
#include <map>

namespace {

const char *usage =
    "Usage: deepwb <command> [options]\n"
    "\n"
    "Commands:\n"
    "  catalog list                 list the modules of the catalog\n"
    "  catalog show ID              show one module's manifest\n"
    "  catalog validate PATH        check a module folder or module.json\n"
    "  catalog import-deep FILE     add a module from a DEEP Open Catalog metadata.json\n"
    "  catalog export ID FILE       write a module to one archive file\n"
    "  catalog import FILE          add a module from an archive file\n"
    "  catalog import-torchscript MODEL.pt --task TASK --name NAME [options]\n"
    "                               add a model scripted in PyTorch (classifier: --labels FILE\n"
    "                               --input-size N --normalization imagenet|none|MEAN,STD;\n"
    "                               super-resolution: --bands N --scale S)\n"
    "  catalog import-onnx MODEL.onnx --name NAME\n"
    "                               add an ONNX model written by 'deepwb export' (run by OpenCV DNN)\n"
    "  train TASK --data DIR --name NAME [options]\n"
    "                               train a new module (TASK: image-classification) into the catalog\n"
    "  retrain PARENT --data DIR --freeze head|partial|full --name NAME [options]\n"
    "                               train a new module from a trained one (transfer learning)\n"
    "  cluster-script -o DIR --nodes N [--gpus-per-node G] [--cpus-per-task C] [--partition P]\n"
    "        [--time HH:MM:SS] [--account A] [--deepwb PATH] [--cluster-catalog DIR] -- train|retrain ...\n"
    "                               write a Slurm batch script that runs the training with --distributed\n"
    "                               (and the archive of the module a re-training starts from)\n"
    "  evaluate MODULE --data DIR [--predictions FILE]\n"
    "                               top-1/top-5 accuracy, per-class metrics, confusion matrix\n"
    "  export MODULE --format onnx -o FILE.onnx [--fold-normalization]\n"
    "                               write a trained module as ONNX (QGIS Deepness, OpenCV, ONNX Runtime)\n"
    "  predict MODULE FILE|DIR... [--top K] [--tta N] [--cam OUTDIR] [--format csv|json]\n"
    "                               label images with a trained module\n"
    "  serve [--module ID ...] [--listen 127.0.0.1] [--port 5000] [--token T] [--max-upload-mb 50]\n"
    "                               serve the modules as a DEEPaaS v2 compatible REST API\n"
    "  watch MODULE (--follow FILE [--from-start] | --listen udp://HOST:PORT | tcp://HOST:PORT)\n"
    "        [--all] [--max-points N] [--idle-timeout S]\n"
    "                               check a live stream with a time-series module; alerts as JSON lines\n"
    "  weights list                 torchvision's ImageNet weights to start training from, and which are cached\n"
    "  weights fetch ARCH[:VARIANT]|FILE... | --all\n"
    "                               download weights into the cache (Ctrl-C keeps the partial file to resume)\n"
    "  weights import FILE...       put weight files downloaded by hand into the cache\n"
    "  weights remove ARCH[:VARIANT]|FILE...\n"
    "                               delete cached weight files\n"
    "  plugins                      list the task plugins and why any failed to load\n"
    "  devices                      list the compute devices\n"
    "\n"
    "Every command takes --json (machine-readable output) and --help; 'deepwb train TASK --help'\n"
    "lists the task's own options. MODULE and PARENT are a catalog id or a module folder.\n"
    "train, retrain, evaluate and predict take --device auto|cpu|cuda; Ctrl-C cancels a\n"
    "training cleanly, keeping its checkpoint (continue it with --resume).\n"
    "Commands that use the catalog take --catalog DIR (default: $DEEPWB_CATALOG, else the\n"
    "application data folder).\n"
    "Weights are cached in $DEEPWB_WEIGHTS_DIR (default: the user's cache folder) and downloaded from\n"
    "$DEEPWB_WEIGHTS_URL (default: https://download.pytorch.org/models).\n"
    "Exit codes: 0 success, 1 failure, 2 usage error.\n";

}  // namespace

int main(int argc, char **argv)
{
    dw::keepFreedMemoryForReuse();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("deep-workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("deep-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DW_VERSION));

    QStringList args = app.arguments().mid(1);
    if (args.isEmpty()) {
        QTextStream(stderr) << usage;
        return dw::cli::ExitUsage;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        QTextStream(stdout) << usage;
        return dw::cli::ExitOk;
    }

    const std::map<QString, std::function<int(const QStringList &)>> commands{
        {QStringLiteral("catalog"), dw::cli::runCatalogCommand},
        {QStringLiteral("plugins"), dw::cli::runPluginsCommand},
        {QStringLiteral("devices"), dw::cli::runDevicesCommand},
        {QStringLiteral("train"), dw::cli::runTrainCommand},
        {QStringLiteral("retrain"), dw::cli::runRetrainCommand},
        {QStringLiteral("cluster-script"), dw::cli::runClusterScriptCommand},
        {QStringLiteral("evaluate"), dw::cli::runEvaluateCommand},
        {QStringLiteral("export"), dw::cli::runExportCommand},
        {QStringLiteral("predict"), dw::cli::runPredictCommand},
        {QStringLiteral("serve"), dw::cli::runServeCommand},
        {QStringLiteral("watch"), dw::cli::runWatchCommand},
        {QStringLiteral("weights"), dw::cli::runWeightsCommand},
        {QStringLiteral("version"), dw::cli::runVersionCommand},
        {QStringLiteral("--version"), dw::cli::runVersionCommand},
        {QStringLiteral("-v"), dw::cli::runVersionCommand},
    };
    const auto it = commands.find(command);
    if (it == commands.end()) {
        dw::cli::Output::error(QStringLiteral("unknown command '%1' (see 'deepwb --help')").arg(command));
        return dw::cli::ExitUsage;
    }
    return it->second(args);
}
