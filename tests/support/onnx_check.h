#pragma once
// What the ONNX export tests hold every exported file to: OpenCV DNN (Debian's OpenCV,
// through core/onnx/opencv_onnx_net) gives LibTorch's outputs on the same input, and the
// checker of Debian's python3-onnx accepts the file as the C++ checker did.
#include "core/ml/torch/onnx_blob.h"
#include "core/onnx/opencv_onnx_net.h"
#include "core/util/result.h"

#include <torch/torch.h>

#include <QProcess>
#include <QString>

// QVERIFY2 evaluates its message even when the check passes: only ask a failed result.
#define DW_VERIFY_OK(result) QVERIFY2((result).ok(), (result).ok() ? "" : qPrintable((result).error().text()))

namespace dw::test {

// max |OpenCV - LibTorch| / max(1, max |LibTorch|) for one input (a CPU float tensor).
inline Result<double> opencvRelativeDifference(const QString &path, const torch::Tensor &input,
                                               const torch::Tensor &expected)
{
    Result<OpenCvOnnxNet> net = OpenCvOnnxNet::load(path);
    if (!net)
        return net.error();
    Result<OnnxBlob> out = net->forward(ml::toOnnxBlob(input));
    if (!out)
        return out.error();
    const torch::Tensor reference = expected.to(torch::kFloat32).contiguous();
    if (int64_t(out->values.size()) != reference.numel())
        return failure(
            QStringLiteral("OpenCV gave %1 values, LibTorch %2").arg(out->values.size()).arg(reference.numel()));
    const torch::Tensor got = torch::from_blob(out->values.data(), {reference.numel()}, torch::kFloat32);
    const double scale = std::max(1.0, reference.abs().max().item<double>());
    return (got - reference.flatten()).abs().max().item<double>() / scale;
}

// Debian's python3-onnx checker (and its strict shape inference) on the file: empty when
// both pass, else what they said.
inline QString pythonOnnxCheck(const QString &path)
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import onnx, sys\n"
                                 "m = onnx.load(sys.argv[1])\n"
                                 "onnx.checker.check_model(m)\n"
                                 "onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)\n"
                                 "print('ok', m.opset_import[0].version)\n"),
                  path});
    if (!python.waitForFinished(120000))
        return QStringLiteral("python3 did not finish: ") + python.errorString();
    const QString output = QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError());
    return python.exitCode() == 0 && output.startsWith(QStringLiteral("ok")) ? QString() : output;
}

}  // namespace dw::test
