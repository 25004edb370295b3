#pragma once
// The subcommands of deepwb. Each takes the arguments after its own name and returns
// the process exit code (see cli_output.h).
#include <QStringList>

namespace dw::cli {

int runCatalogCommand(
    const QStringList &args);  // catalog list|show|validate|import-deep|export|import|import-torchscript
int runCatalogImportTorchScript(const QStringList &args);  // catalog import-torchscript MODEL.pt --task TASK ...
int runCatalogImportOnnx(const QStringList &args);         // catalog import-onnx MODEL.onnx --name NAME
int runPluginsCommand(const QStringList &args);            // plugins
int runDevicesCommand(const QStringList &args);            // devices
int runVersionCommand(const QStringList &args);            // --version / version
int runWeightsCommand(const QStringList &args);            // weights list|fetch|import|remove
// The task commands: flags generated from the task plugin's argument schemas.
int runTrainCommand(const QStringList &args);     // train TASK --data DIR --name NAME ...
int runRetrainCommand(const QStringList &args);   // retrain PARENT --data DIR --freeze MODE --name NAME ...
int runEvaluateCommand(const QStringList &args);  // evaluate MODULE --data DIR [--predictions FILE]
int runExportCommand(const QStringList &args);    // export MODULE --format onnx -o FILE [--fold-normalization]
int runPredictCommand(const QStringList &args);   // predict MODULE FILE|DIR... [--top K] [--format csv|json]
int runServeCommand(const QStringList &args);     // serve [--module ID ...] [--listen ADDR] [--port N] [--token T]
int runWatchCommand(const QStringList &args);     // watch MODULE (--follow FILE | --listen udp://HOST:PORT | tcp://...)
// cluster-script -o DIR --nodes N [...] -- train|retrain ...: a Slurm batch script (+ module archive)
int runClusterScriptCommand(const QStringList &args);

}  // namespace dw::cli
