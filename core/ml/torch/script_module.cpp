#include "core/ml/torch/script_module.h"

#include "core/util/file_commit.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <caffe2/serialize/inline_container.h>
#include <torch/version.h>

#include <cstdio>
#include <sstream>

namespace dw::ml {

namespace {

QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

// What a file that is not a TorchScript archive is, for the message.
QString describeOtherFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("it cannot be read: %1").arg(file.errorString());
    const QByteArray head = file.read(4);
    if (head.size() >= 2 && static_cast<unsigned char>(head.at(0)) == 0x80)
        return QStringLiteral(
            "it is in PyTorch's legacy pickle format (PyTorch older than 1.6, or a whole model saved "
            "with torch.save): load it in PyTorch and save it with torch.jit.script(model).save(path)");
    if (!head.startsWith("PK\x03\x04"))
        return QStringLiteral("it is not a PyTorch file (TorchScript archives are zip files written by "
                              "torch.jit.save)");
    try {
        caffe2::serialize::PyTorchStreamReader reader(path.toStdString());
        if (!reader.hasRecord("constants.pkl") && reader.hasRecord("data.pkl"))
            return QStringLiteral(
                "it holds weights or a pickled model (torch.save), not a TorchScript program. In PyTorch, "
                "build the model, load the weights, then save it with torch.jit.script(model).save(path) "
                "— or, for weights of an architecture the workbench has, start a training from it with "
                "--init FILE");
    } catch (const c10::Error &error) {
        return QStringLiteral("it is a damaged zip archive: %1").arg(torchMessage(error));
    }
    return {};
}

}  // namespace

Result<torch::jit::Module> loadScriptModule(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return failure(QStringLiteral("the model file %1 does not exist").arg(path), QStringLiteral("model"));
    if (const QString other = describeOtherFile(path); !other.isEmpty())
        return failure(QStringLiteral("%1 is not a TorchScript model: %2").arg(path, other), QStringLiteral("model"));
    try {
        torch::jit::Module module = torch::jit::load(path.toStdString(), torch::Device(torch::kCPU));
        if (!module.find_method("forward"))
            return failure(
                QStringLiteral("%1 is a TorchScript archive without a forward method; save the model itself, "
                               "not a helper object")
                    .arg(path),
                QStringLiteral("model"));
        return module;
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("%1 could not be loaded as a TorchScript model: %2 (was it saved by a newer "
                                      "PyTorch than the workbench's %3? Save it with torch.jit.save from PyTorch 1.13 "
                                      "or older, or script it again)")
                           .arg(path, torchMessage(error),
                                QStringLiteral("%1.%2").arg(TORCH_VERSION_MAJOR).arg(TORCH_VERSION_MINOR)),
                       QStringLiteral("model"));
    }
}

torch::Tensor runScriptModule(torch::jit::Module &module, const torch::Tensor &x)
{
    const c10::IValue output = module.forward({x});
    if (output.isTensor())
        return output.toTensor();
    TORCH_CHECK(false, "the TorchScript model returns ", output.tagKind(),
                " instead of one tensor; wrap it so that forward(x) returns the output tensor only");
    return {};
}

Result<void> saveScriptModule(const torch::jit::Module &module, const QString &path)
{
    // Into memory first, then one checked, atomic write: LibTorch's own file writer aborts the
    // process when the disk fills up part-way.
    std::ostringstream bytes;
    try {
        module.save(bytes);
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("cannot write the TorchScript model %1: %2").arg(path, torchMessage(error)));
    }
    const std::string data = std::move(bytes).str();
    return writeFileAtomically(path, QByteArray(data.data(), static_cast<qsizetype>(data.size())),
                               QStringLiteral("the TorchScript model"));
}

std::string scriptErrorText(const std::exception &error)
{
    const auto *torchError = dynamic_cast<const c10::Error *>(&error);
    const QString text = QString::fromUtf8(torchError ? torchError->what_without_backtrace() : error.what());
    QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty())
        return {};
    if (!text.contains(QLatin1String("TorchScript interpreter")))
        return lines.first().trimmed().toStdString();
    QString last = lines.last().trimmed();  // "RuntimeError: what happened"
    if (const qsizetype colon = last.indexOf(QLatin1String("Error: ")); colon >= 0 && colon < 40)
        last = last.mid(colon + 7);
    return last.toStdString();
}

std::string scriptTypeName(const torch::jit::Module &module)
{
    const auto name = module.type()->name();
    return name ? name->qualifiedName() : std::string();
}

}  // namespace dw::ml
