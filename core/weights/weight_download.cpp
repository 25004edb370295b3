#include "core/weights/weight_download.h"

#include "core/jobs/job_context.h"
#include "core/weights/weight_cache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>

#include <cmath>
#include <memory>
#include <mutex>

namespace dw::weights {

namespace {

const QString kDefaultBaseUrl = QStringLiteral("https://download.pytorch.org/models");
const QString kSettingKey = QStringLiteral("weights/base_url");
constexpr int kTransferTimeoutMs = 30000;  // no byte for this long: the transfer is broken
constexpr int kRetries = 3;                // a broken connection is resumed this many times
constexpr int kCancelPollMs = 100;
constexpr qint64 kReportEveryMs = 200;

QSettings settings()
{
    return QSettings(QStringLiteral("deep-workbench"), QStringLiteral("deep-workbench"));
}

QString megabytes(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 1);
}

enum class Outcome {
    Complete,      // the response ended with the whole body
    Cut,           // the connection broke after some bytes: resume
    Restart,       // the server's range does not continue our bytes: start from zero
    RangeRefused,  // 416: nothing past our bytes (the partial file may be whole)
    Cancelled,
    Failed,        // error: why, for the "cannot download" message
    LocalFailure,  // error: the full message (writing the file failed)
};

struct Attempt {
    Outcome outcome = Outcome::Failed;
    QString error;
    qint64 received = 0;  // bytes this attempt added to the partial file
};

// One GET of the file into partPath, continuing what is there with a Range request.
Attempt runAttempt(QNetworkAccessManager &manager, const PretrainedWeights &weights, const QUrl &url,
                   const QString &partPath, const JobContext &context)
{
    Attempt result;
    const QFileInfo partInfo(partPath);
    const qint64 offset = partInfo.isFile() ? partInfo.size() : 0;

    QNetworkRequest request(url);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("deep-workbench/" DW_VERSION));
    // Ranges of the file itself, never of a compressed form of it.
    request.setRawHeader("Accept-Encoding", "identity");
    if (offset > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(offset) + '-');
    context.setProgress(
        std::nan(""),
        offset > 0 ? QStringLiteral("downloading %1: continuing after %2 MB").arg(weights.fileName, megabytes(offset))
                   : QStringLiteral("downloading %1 from %2").arg(weights.fileName, url.toString()));

    QFile part(partPath);
    bool started = false, writing = false, restart = false, cancelled = false;
    qint64 base = 0;        // bytes on disk that this response continues
    qint64 total = 0;       // the whole file, 0: unknown
    qint64 announced = -1;  // body bytes this response announced
    QString writeError;
    QElapsedTimer clock;
    clock.start();
    qint64 lastReportMs = -kReportEveryMs;

    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QEventLoop loop;

    auto report = [&](bool force) {
        const qint64 now = clock.elapsed();
        if (!force && now - lastReportMs < kReportEveryMs)
            return;
        lastReportMs = now;
        const qint64 done = base + result.received;
        const double speed = now > 0 ? double(result.received) * 1000.0 / double(now) : 0.0;
        QString message =
            total > 0
                ? QStringLiteral("downloading %1: %2 of %3 MB").arg(weights.fileName, megabytes(done), megabytes(total))
                : QStringLiteral("downloading %1: %2 MB").arg(weights.fileName, megabytes(done));
        message += QStringLiteral(", %1 MB/s").arg(megabytes(speed));
        context.setProgress(done, total, message);
    };
    // The first bytes of the final response (after redirects): append, or start over.
    auto begin = [&] {
        started = true;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const bool http = url.scheme().startsWith(QLatin1String("http"), Qt::CaseInsensitive);
        if (!status.isValid() && (http || reply->error() != QNetworkReply::NoError))
            return;                                                // no answer at all (the connection failed)
        const int code = status.isValid() ? status.toInt() : 200;  // file:// and the like: the whole file
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        announced = length.isValid() ? length.toLongLong() : -1;
        if (code == 206) {
            static const QRegularExpression contentRange(QStringLiteral("^bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)$"));
            const QRegularExpressionMatch match =
                contentRange.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
            if (!match.hasMatch() || match.captured(1).toLongLong() != offset) {
                restart = true;
                reply->abort();
                return;
            }
            base = offset;
            total = match.captured(3) == QLatin1String("*") ? 0 : match.captured(3).toLongLong();
            if (!part.open(QIODevice::WriteOnly | QIODevice::Append))
                writeError = part.errorString();
        } else if (code >= 200 && code < 300) {
            base = 0;
            total = announced;
            if (!part.open(QIODevice::WriteOnly | QIODevice::Truncate))
                writeError = part.errorString();
        } else {
            return;  // an error status: its body is a message, not the file
        }
        if (!writeError.isEmpty()) {
            reply->abort();
            return;
        }
        if (total <= 0)
            total = weights.sizeBytes > 0 ? weights.sizeBytes : qint64(weights.sizeMiB * 1024.0 * 1024.0);
        writing = true;
    };
    auto drain = [&] {
        if (!started)
            begin();
        if (!writing || !writeError.isEmpty() || restart)
            return;
        const QByteArray data = reply->readAll();
        if (data.isEmpty())
            return;
        if (part.write(data) != data.size()) {
            writeError = part.errorString();
            reply->abort();
            return;
        }
        result.received += data.size();
        report(false);
    };

    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, drain);
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer poll;
    poll.setInterval(kCancelPollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (context.isCancelled() && !cancelled) {
            cancelled = true;
            reply->abort();
        } else if (writing) {
            report(false);  // the last bytes before a pause, and the speed falling while it lasts
        }
    });
    poll.start();
    if (!reply->isFinished())
        loop.exec();
    poll.stop();
    if (!cancelled && (started || reply->bytesAvailable() > 0))
        drain();  // what came with the end, or just before a cut
    if (writing) {
        report(true);
        part.close();
    }

    const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!writeError.isEmpty()) {
        result.outcome = Outcome::LocalFailure;
        result.error =
            QStringLiteral("cannot write %1: %2 (is the disk full? Set DEEPWB_WEIGHTS_DIR to another folder)")
                .arg(partPath, writeError);
    } else if (cancelled) {
        result.outcome = Outcome::Cancelled;
    } else if (restart) {
        result.outcome = Outcome::Restart;
    } else if (reply->error() == QNetworkReply::NoError) {
        if (!writing) {
            result.outcome = Outcome::Failed;
            result.error = QStringLiteral("the server answered %1 without the file").arg(code);
        } else if (announced >= 0 && result.received < announced) {
            result.outcome = Outcome::Cut;  // the body ended early without an error
            result.error = QStringLiteral("the answer ended after %1 of %2 bytes").arg(result.received).arg(announced);
        } else {
            result.outcome = Outcome::Complete;
        }
    } else if (code == 416 && offset > 0) {
        result.outcome = Outcome::RangeRefused;
    } else if (code >= 400) {
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        result.outcome = Outcome::Failed;
        result.error = QStringLiteral("the server answered HTTP %1%2")
                           .arg(code)
                           .arg(reason.isEmpty() ? QString() : QLatin1Char(' ') + reason);
    } else {
        // Not cancelled by us: the transfer timeout gave up on a silent connection.
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                ? QStringLiteral("no data came for %1 s").arg(kTransferTimeoutMs / 1000)
                                : reply->errorString();
        result.outcome = result.received > 0 ? Outcome::Cut : Outcome::Failed;
        result.error = why;
    }
    return result;
}

Error cannotDownload(const PretrainedWeights &weights, const QUrl &url, const QString &why)
{
    const QString source = url.toString() == weights.officialUrl || weights.officialUrl.isEmpty()
                               ? QString()
                               : QStringLiteral(" from %1").arg(weights.officialUrl);
    return failure(
        QStringLiteral("cannot download %1 from %2: %3. Download it by hand (browser, curl)%4 and import it "
                       "with: deepwb weights import %1 \u2014 or drop the file on the workbench window. "
                       "Mirrors and air-gapped sites: set DEEPWB_WEIGHTS_URL or the weights base URL in the settings.")
            .arg(weights.fileName, url.toString(), why, source));
}

Error cancelledDownload(const PretrainedWeights &weights, const QString &partPath)
{
    const QFileInfo part(partPath);
    if (!part.isFile() || part.size() == 0)
        return failure(QStringLiteral("the download of %1 was cancelled").arg(weights.fileName));
    return failure(QStringLiteral("the download of %1 was cancelled; the %2 MB received are kept in %3 and the next "
                                  "fetch continues from there")
                       .arg(weights.fileName, megabytes(part.size()), partPath));
}

// Checks the finished partial file; a good one takes its place in the cache, a bad one is deleted.
Result<QString> verifyAndInstall(const PretrainedWeights &weights, const WeightCache &cache, const QUrl &url,
                                 const JobContext &context)
{
    const QString partPath = cache.partPathFor(weights);
    const QString target = cache.pathFor(weights);
    context.setProgress(std::nan(""), QStringLiteral("verifying %1").arg(weights.fileName));
    const Result<QString> digest = WeightCache::sha256Of(partPath, &context, weights.fileName);
    if (!digest)
        return context.isCancelled() ? cancelledDownload(weights, partPath) : digest.error();
    if (const QString problem = WeightCache::digestProblem(weights, *digest); !problem.isEmpty()) {
        QFile::remove(partPath);
        return failure(
            QStringLiteral("the file downloaded from %1 is damaged or is not %2: %3. It was deleted; fetch it "
                           "again, or download it by hand and import it with: deepwb weights import %2")
                .arg(url.toString(), weights.fileName, problem));
    }
    if (QFileInfo::exists(target) && !QFile::remove(target))
        return failure(QStringLiteral("cannot replace %1: check the permissions of %2").arg(target, cache.folder()));
    if (!QFile::rename(partPath, target))
        return failure(QStringLiteral("cannot move the downloaded file to %1: check the permissions of %2")
                           .arg(target, cache.folder()));
    // The index only spares a later hash; the file is good without it.
    if (Result<void> noted = cache.record(weights, target, *digest, url.toString()); !noted)
        context.log(noted.error().text());
    context.setProgress(
        1.0, QStringLiteral("%1: %2 MB, SHA-256 verified").arg(weights.fileName, megabytes(QFileInfo(target).size())));
    return target;
}

}  // namespace

QString baseUrl()
{
    QString url = qEnvironmentVariable("DEEPWB_WEIGHTS_URL").trimmed();
    if (url.isEmpty())
        url = settings().value(kSettingKey).toString().trimmed();
    if (url.isEmpty())
        url = kDefaultBaseUrl;
    while (url.size() > 1 && url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}

void setBaseUrl(const QString &url)
{
    QSettings s = settings();
    if (url.trimmed().isEmpty())
        s.remove(kSettingKey);
    else
        s.setValue(kSettingKey, url.trimmed());
    s.sync();
}

QUrl downloadUrl(const PretrainedWeights &weights)
{
    const QString base = baseUrl();
    // A plain folder (a mirror on a shared disk) works as well as a URL.
    if (!base.contains(QStringLiteral("://")) && QDir::isAbsolutePath(base))
        return QUrl::fromLocalFile(base + QLatin1Char('/') + weights.fileName);
    return QUrl(base + QLatin1Char('/') + weights.fileName);
}

Result<QString> fetchWeights(const PretrainedWeights &weights, JobContext &context)
{
    return fetchWeights(weights, WeightCache(), context);
}

Result<QString> fetchWeights(const PretrainedWeights &weights, const WeightCache &cache, JobContext &context)
{
    if (weights.fileName.isEmpty())
        return failure(QStringLiteral("these weights name no file to download"));
    if (std::optional<QString> cached = cache.cachedPath(weights))
        return *cached;
    const QUrl url = downloadUrl(weights);
    if (!url.isValid() || url.scheme().isEmpty())
        return failure(
            QStringLiteral("the weights base URL '%1' is not a URL: set DEEPWB_WEIGHTS_URL or the weights base "
                           "URL in the settings to one such as %2")
                .arg(baseUrl(), kDefaultBaseUrl));
    if (!QDir().mkpath(cache.folder()))
        return failure(QStringLiteral("cannot create the weights folder %1: check its permissions, or set "
                                      "DEEPWB_WEIGHTS_DIR to a folder you can write")
                           .arg(cache.folder()));
    const QString partPath = cache.partPathFor(weights);

    // A whole file left by an interrupted check: check it before asking the server for more.
    if (weights.sizeBytes > 0 && QFileInfo(partPath).size() == weights.sizeBytes) {
        Result<QString> installed = verifyAndInstall(weights, cache, url, context);
        if (installed || context.isCancelled())
            return installed;
        context.log(installed.error().text());
    }

    static std::once_flag proxies;
    std::call_once(proxies, [] { QNetworkProxyFactory::setUseSystemConfiguration(true); });
    QNetworkAccessManager manager;
    manager.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);

    int resumesLeft = kRetries;
    bool restarted = false;
    for (;;) {
        if (context.isCancelled())
            return cancelledDownload(weights, partPath);
        const Attempt attempt = runAttempt(manager, weights, url, partPath, context);
        switch (attempt.outcome) {
        case Outcome::Complete:
            return verifyAndInstall(weights, cache, url, context);
        case Outcome::Cancelled:
            return cancelledDownload(weights, partPath);
        case Outcome::LocalFailure:
            return failure(attempt.error);
        case Outcome::Failed:
            return cannotDownload(weights, url, attempt.error);
        case Outcome::Cut:
            if (resumesLeft-- > 0) {
                context.log(QStringLiteral("%1: the connection broke (%2) at %3 MB; continuing from there")
                                .arg(weights.fileName, attempt.error, megabytes(QFileInfo(partPath).size())));
                continue;
            }
            return cannotDownload(
                weights, url,
                QStringLiteral("the connection broke %1 times (last: %2); the %3 MB received are kept "
                               "and the next fetch continues from there")
                    .arg(kRetries + 1)
                    .arg(attempt.error, megabytes(QFileInfo(partPath).size())));
        case Outcome::RangeRefused: {
            // Nothing past our bytes: the partial file may be whole already.
            Result<QString> installed = verifyAndInstall(weights, cache, url, context);
            if (installed || context.isCancelled() || restarted)
                return installed;
            context.log(installed.error().text());
            restarted = true;
            QFile::remove(partPath);
            continue;
        }
        case Outcome::Restart:
            if (restarted)
                return cannotDownload(weights, url,
                                      QStringLiteral("the server does not continue a download where it stopped"));
            context.log(QStringLiteral("%1: the server cannot continue the partial download; starting again")
                            .arg(weights.fileName));
            restarted = true;
            QFile::remove(partPath);
            continue;
        }
    }
}

}  // namespace dw::weights
