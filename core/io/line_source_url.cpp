#include "core/io/line_source_url.h"

#include "core/io/file_follower.h"
#include "core/io/socket_line_sources.h"

#include <QUrl>

namespace dw {

namespace {

const QString kExamples = QStringLiteral("udp://127.0.0.1:9000, tcp://0.0.0.0:9000 or file:///path/to/rows.csv");

Error bad(const QString &text, const QString &why)
{
    return failure(QStringLiteral("\"%1\" is not a stream address: %2 (e.g. %3)").arg(text, why, kExamples));
}

}  // namespace

Result<LineSourceUrl> LineSourceUrl::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype schemeEnd = trimmed.indexOf(QStringLiteral("://"));
    if (schemeEnd <= 0)
        return bad(trimmed, QStringLiteral("it has no scheme"));
    const QString scheme = trimmed.left(schemeEnd).toLower();
    const QString rest = trimmed.mid(schemeEnd + 3);
    if (scheme == QLatin1String("file")) {
        const QString path = QUrl(trimmed).toLocalFile();
        if (path.isEmpty())
            return bad(trimmed, QStringLiteral("it names no file"));
        return file(path);
    }
    LineSourceUrl url;
    if (scheme == QLatin1String("udp"))
        url.kind = Kind::Udp;
    else if (scheme == QLatin1String("tcp"))
        url.kind = Kind::Tcp;
    else
        return bad(trimmed, QStringLiteral("the scheme \"%1\" is unknown; use udp, tcp or file").arg(scheme));

    QString host, port;
    if (rest.startsWith(QLatin1Char('['))) {  // [IPv6]:port
        const qsizetype close = rest.indexOf(QLatin1Char(']'));
        if (close < 0)
            return bad(trimmed, QStringLiteral("the IPv6 address has no closing ']'"));
        host = rest.mid(1, close - 1);
        if (rest.mid(close + 1).startsWith(QLatin1Char(':')))
            port = rest.mid(close + 2);
        else if (close + 1 < rest.size())
            return bad(trimmed, QStringLiteral("expected ':PORT' after the address"));
    } else {
        const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
        host = colon < 0 ? rest : rest.left(colon);
        port = colon < 0 ? QString() : rest.mid(colon + 1);
        if (colon < 0)
            return bad(trimmed, QStringLiteral("it has no port"));
    }
    if (host.isEmpty())
        return bad(trimmed, QStringLiteral("it has no host"));
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        url.address = QHostAddress(QHostAddress::LocalHost);
    else if (!url.address.setAddress(host))
        return bad(trimmed, QStringLiteral(
                                "\"%1\" is not an IP address (give one, e.g. 127.0.0.1, 0.0.0.0 or ::1, or localhost)")
                                .arg(host));
    if (port.isEmpty())
        return bad(trimmed, QStringLiteral("it has no port"));
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535 || port.startsWith(QLatin1Char('+')))
        return bad(trimmed, QStringLiteral("\"%1\" is not a port number (0-65535)").arg(port));
    url.port = quint16(number);
    return url;
}

LineSourceUrl LineSourceUrl::file(const QString &path, bool fromStart)
{
    LineSourceUrl url;
    url.kind = Kind::File;
    url.path = path;
    url.fromStart = fromStart;
    return url;
}

QString LineSourceUrl::toString() const
{
    switch (kind) {
    case Kind::File:
        return QUrl::fromLocalFile(path).toString();
    case Kind::Udp:
        return socketUrl(QStringLiteral("udp"), address, port);
    case Kind::Tcp:
        break;
    }
    return socketUrl(QStringLiteral("tcp"), address, port);
}

std::unique_ptr<LineSource> LineSourceUrl::create(QObject *parent) const
{
    switch (kind) {
    case Kind::File:
        return std::make_unique<FileFollower>(path, fromStart, parent);
    case Kind::Udp:
        return std::make_unique<UdpLineSource>(address, port, parent);
    case Kind::Tcp:
        break;
    }
    return std::make_unique<TcpLineSource>(address, port, parent);
}

}  // namespace dw
