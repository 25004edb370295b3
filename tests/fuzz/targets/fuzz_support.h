#pragma once
// What the fuzz targets share: a private scratch folder for the readers that take paths, and
// a way to cut one input into several files.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace dwfuzz {

inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

// One scratch folder for the whole run (libFuzzer calls the target millions of times).
inline const QTemporaryDir &scratch()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/dw-fuzz-XXXXXX"));
    return dir;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(path.section(QLatin1Char('/'), 0, -2));
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

// The input cut at NUL bytes into at most `parts` pieces (the last takes the rest).
inline QList<QByteArray> cut(const QByteArray &input, int parts)
{
    QList<QByteArray> out;
    qsizetype start = 0;
    while (out.size() < parts - 1) {
        const qsizetype nul = input.indexOf('\0', start);
        if (nul < 0)
            break;
        out << input.mid(start, nul - start);
        start = nul + 1;
    }
    out << input.mid(start);
    while (out.size() < parts)
        out << QByteArray();
    return out;
}

}  // namespace dwfuzz
