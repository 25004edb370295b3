#include "core/ml/device_service.h"

#include "core/ml/torch_compat.h"

#include <archive.h>
#include <gdal.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/version.hpp>

#include <QJsonObject>

namespace dw {

using namespace Qt::StringLiterals;

QJsonObject LibraryVersions::toJson() const
{
    return QJsonObject{{u"workbench"_s, workbench},
                       {u"qt"_s, qt},
                       {u"libtorch"_s, libtorch},
                       {u"opencv"_s, opencv},
                       {u"gdal"_s, gdal},
                       {u"libarchive"_s, libarchive},
                       {u"cuda"_s, cuda}};
}

LibraryVersions libraryVersions()
{
    LibraryVersions v;
    v.workbench = QStringLiteral(DW_VERSION);
    // The versions in use at run time, which may be newer than those built against.
    v.qt = QString::fromLatin1(qVersion());
    v.libtorch = compat::torchVersion();
    v.opencv = QString::fromStdString(cv::getVersionString());
    v.gdal = QString::fromLatin1(GDALVersionInfo("RELEASE_NAME"));
    QString archive = QString::fromLatin1(archive_version_string());
    if (archive.startsWith(u"libarchive "_s))
        archive = archive.mid(11);
    v.libarchive = archive;
    v.cuda = compat::torchHasCuda();
    return v;
}

}  // namespace dw
