#pragma once
// A module folder with incompressible weights of a given size (random bytes, a fixed seed) and
// a valid module.json naming their sha256: large enough for export and import to be stopped
// in the middle by a signal or a kill.
#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QString>

namespace dw::test {

// Writes <catalogDir>/big (id "big"); false when a file cannot be written.
inline bool writeBigModule(const QString &catalogDir, qsizetype weightBytes, quint32 seed)
{
    const QString folder = catalogDir + QStringLiteral("/big");
    if (!QDir().mkpath(folder))
        return false;
    QByteArray weights(weightBytes, Qt::Uninitialized);
    QRandomGenerator(seed).fillRange(reinterpret_cast<quint32 *>(weights.data()), weights.size() / 4);
    QFile w(folder + QStringLiteral("/weights.pt"));
    if (!w.open(QIODevice::WriteOnly) || w.write(weights) != weights.size())
        return false;
    w.close();
    const QJsonObject manifest{
        {QStringLiteral("id"), QStringLiteral("big")},
        {QStringLiteral("version"), QStringLiteral("1.0.0")},
        {QStringLiteral("title"), QStringLiteral("Big")},
        {QStringLiteral("task"), QStringLiteral("image-classification")},
        {QStringLiteral("keywords"), QJsonArray{QStringLiteral("test")}},
        {QStringLiteral("weights"),
         QJsonObject{{QStringLiteral("file"), QStringLiteral("weights.pt")},
                     {QStringLiteral("format"), QStringLiteral("torchscript")},
                     {QStringLiteral("sha256"),
                      QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex())}}}};
    QFile m(folder + QStringLiteral("/module.json"));
    return m.open(QIODevice::WriteOnly) && m.write(QJsonDocument(manifest).toJson()) > 0;
}

}  // namespace dw::test
