#pragma once
// The arguments of TaskPlugin::exportModel, read and checked once for every task: the
// module folder, the output file (its folder must exist; the file is replaced whole), the
// format (one the task writes) and whether the normalisation goes into the graph.
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace dw {

struct ExportRequest {
    QString module;
    QString output;
    QString format;
    bool foldNormalization = false;
};

Result<ExportRequest> readExportRequest(const QVariantMap &args, const QStringList &formats);

}  // namespace dw
