#include "core/task/export_request.h"

#include <QDir>
#include <QFileInfo>

namespace dw {

Result<ExportRequest> readExportRequest(const QVariantMap &args, const QStringList &formats)
{
    ExportRequest request;
    request.module = args.value(QStringLiteral("module")).toString();
    request.output = args.value(QStringLiteral("output")).toString();
    request.format = args.value(QStringLiteral("format"), QStringLiteral("onnx")).toString().toLower();
    request.foldNormalization = args.value(QStringLiteral("fold_normalization")).toBool();
    if (request.module.isEmpty())
        return Error::at(QStringLiteral("module"), QStringLiteral("give the module to export"));
    if (!formats.contains(request.format))
        return Error::at(QStringLiteral("format"), QStringLiteral("'%1' is not a format this task writes; choose %2")
                                                       .arg(request.format, formats.join(QStringLiteral(" or "))));
    if (request.output.isEmpty())
        return Error::at(QStringLiteral("output"),
                         QStringLiteral("give the file to write, e.g. -o model.%1").arg(request.format));
    const QFileInfo output(request.output);
    if (output.isDir())
        return Error::at(QStringLiteral("output"),
                         QStringLiteral("%1 is a folder: give a file name in it, e.g. %2")
                             .arg(request.output, QDir(request.output).filePath(QStringLiteral("model.onnx"))));
    if (!output.absoluteDir().exists())
        return Error::at(QStringLiteral("output"),
                         QStringLiteral("the folder %1 does not exist: create it first").arg(output.absolutePath()));
    request.output = output.absoluteFilePath();
    return request;
}

}  // namespace dw
