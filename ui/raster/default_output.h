#pragma once
// Where the super-resolved raster goes when the user has not said: "<stem>_sr.tif" next to the
// input when the user may write in that folder, else in a folder of the user's (Documents),
// never a file that exists already ("<stem>_sr_2.tif", "_3", ... instead). A subdataset
// (NETCDF:"/data/f.nc":sst) is named after its file and its part ("f_sst_sr.tif"). The
// file system is asked through the two predicates, so that the choice can be tested.
#include <QString>

#include <functional>

namespace dw {

QString chooseDefaultOutput(const QString &input, const QString &fallbackFolder,
                            const std::function<bool(const QString &folder)> &writable,
                            const std::function<bool(const QString &path)> &exists);

// The user's folder for outputs when the input's is not writable: Documents, else Pictures,
// else the home folder (the first that exists).
QString userOutputFolder();

}  // namespace dw
