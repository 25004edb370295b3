#pragma once
// Downloads pretrained weights into the weight cache, as a job: progress with speed, the
// cancel flag honoured within 100 ms, a partial file kept and resumed with an HTTP Range
// request (the next fetch, or at once after a broken connection), and the file checked
// against torchvision's hash prefix and the full SHA-256 before it is used.
//
// Blocks the calling thread: it runs its own event loop, so it works from a worker thread
// without one (a job) and from the main thread of a command-line tool alike. Never call it
// from the GUI thread.
#include "core/util/result.h"
#include "core/weights/pretrained_weights.h"

#include <QString>
#include <QUrl>

namespace dw {
class JobContext;
}

namespace dw::weights {

class WeightCache;

// Where files are fetched from: $DEEPWB_WEIGHTS_URL, else the setting "weights/base_url"
// (organization and application "deep-workbench"), else https://download.pytorch.org/models.
// Without a trailing slash.
QString baseUrl();
// Writes the setting; an empty url removes it (back to torchvision's server).
void setBaseUrl(const QString &url);
// baseUrl() + "/" + the file name.
QUrl downloadUrl(const PretrainedWeights &weights);

// The cached file's path: the cache's copy when there is one, else downloaded now into
// WeightCache's folder. Errors say what failed and how to import a file fetched by hand.
Result<QString> fetchWeights(const PretrainedWeights &weights, JobContext &context);
// The same with another cache (another folder, a site's own entries).
Result<QString> fetchWeights(const PretrainedWeights &weights, const WeightCache &cache, JobContext &context);

}  // namespace dw::weights
