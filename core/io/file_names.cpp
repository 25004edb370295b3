#include "core/io/file_names.h"

#include <QByteArray>
#include <QFile>

#include <filesystem>
#include <system_error>

namespace dw {

namespace {

bool validUtf8(const std::string &bytes)
{
    const QByteArray raw = QByteArray::fromStdString(bytes);
    return QString::fromUtf8(raw).toUtf8() == raw;
}

QString escaped(const std::string &bytes)
{
    QString out;
    for (unsigned char c : bytes)
        out += c < 0x80 ? QString(QChar(c)) : QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
    return out;
}

template <class Iterator>
UndecodableNames scan(Iterator it)
{
    UndecodableNames found;
    std::error_code error;
    for (; it != Iterator(); it.increment(error)) {
        if (error)
            break;
        const std::string name = it->path().filename().native();
        if (validUtf8(name))
            continue;
        if (found.count++ == 0)
            found.example = escaped(name);
    }
    return found;
}

}  // namespace

UndecodableNames undecodableNames(const QString &folder, bool recursive)
{
    const std::filesystem::path root(QFile::encodeName(folder).toStdString());
    std::error_code error;
    const auto options = std::filesystem::directory_options::skip_permission_denied;
    if (recursive)
        return scan(std::filesystem::recursive_directory_iterator(root, options, error));
    return scan(std::filesystem::directory_iterator(root, options, error));
}

QString undecodableAdvice(const QString &folder)
{
    return QStringLiteral("their names are not valid UTF-8, so they cannot be read: rename them to UTF-8, e.g. "
                          "convmv -f latin1 -t utf-8 -r --notest '%1'")
        .arg(folder);
}

}  // namespace dw
