#pragma once
// How `deepwb serve` (or the GUI's Serve button) runs the REST API.
#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace dw {

struct ServeOptions {
    QHostAddress address = QHostAddress::LocalHost;  // loopback unless asked otherwise
    bool allowRemote = false;                        // any non-loopback address needs this (--allow-remote)
    quint16 port = 5000;                             // 0: any free port (tests)
    QString token;                                   // non-empty: every request needs "Authorization: Bearer <token>"
    qint64 maxUploadBytes = 50ll * 1024 * 1024;      // larger requests get 413 before their body is read
    int headerTimeoutMs = 30000;  // a request's headers must arrive within this (else 408): no slow-header hold-ups
    int idleTimeoutMs = 60000;    // a connection without a request in progress is closed after this (408)
    int bodyStallMs = 10000;      // each such window of a body must bring minBodyBytesPerSecond (else 408)
    qint64 minBodyBytesPerSecond = 1024;
    qint64 maxInFlightUploadBytes =
        0;  // bodies being received at once, all clients: 0 means 4 x maxUploadBytes (else 503)
    int maxConnectionsPerClient = 128;       // open connections from one address (else 429); 0: no limit
    QStringList modules;                     // catalog ids to serve; empty: every module whose task has a plugin
    QString catalogDirectory;                // empty: Catalog::defaultUserDirectory()
    QString stateDirectory;                  // training records; empty: <catalog>/../serve (AppDataLocation/serve)
    QStringList dataRoots;                   // folders whose paths training requests may name; empty: none
    QString device = QStringLiteral("cpu");  // handed to every job
};

}  // namespace dw
