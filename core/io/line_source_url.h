#pragma once
// Names a line source in one string and opens it: "udp://127.0.0.1:9000",
// "tcp://0.0.0.0:9000", "udp://[::1]:9000", "file:///var/log/flows.csv". Hosts are IP
// addresses or "localhost"; port 0 asks for any free port. Errors say what is wrong
// (an unknown scheme, a missing or bad port, a host that is not an address) and how a
// right one looks.
#include "core/io/line_source.h"
#include "core/util/result.h"

#include <QHostAddress>
#include <QString>

#include <memory>

namespace dw {

struct LineSourceUrl {
    enum class Kind { File, Udp, Tcp };

    Kind kind = Kind::Udp;
    QHostAddress address;  // Udp, Tcp
    quint16 port = 0;
    QString path;            // File
    bool fromStart = false;  // File: read the rows already there first

    static Result<LineSourceUrl> parse(const QString &text);
    static LineSourceUrl file(const QString &path, bool fromStart = false);
    QString toString() const;

    // A source for the URL, not started yet (start() binds or opens).
    std::unique_ptr<LineSource> create(QObject *parent = nullptr) const;
};

}  // namespace dw
