#pragma once
// Debian's Fashion-MNIST (dataset-fashion-mnist, installed by packaging/install-deps.sh) as the
// folder-per-class PNG trees root/train and root/test that the workbench reads, made once by
// scripts/fashion_mnist_to_png.py in a temporary sibling and renamed, so that an interrupted
// conversion is never mistaken for a finished one. Needs DW_SOURCE_DIR.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace dw::test {

inline const QString kFashionMnistSource = QStringLiteral("/usr/share/datasets/fashion-mnist");

// limit: the first N images of each part (0: all 60,000 + 10,000). Empty when the trees are
// there; else why not.
inline QString makeFashionMnistPngs(const QString &root, int limit = 0)
{
    if (QFileInfo::exists(root + QStringLiteral("/test")) && QFileInfo::exists(root + QStringLiteral("/train")))
        return {};
    if (!QFileInfo::exists(kFashionMnistSource + QStringLiteral("/train-images-idx3-ubyte.gz")))
        return QStringLiteral("Fashion-MNIST not found in %1: install Debian's dataset-fashion-mnist")
            .arg(kFashionMnistSource);
    const QString partial = root + QStringLiteral(".partial");
    QDir(partial).removeRecursively();
    QStringList arguments{QStringLiteral(DW_SOURCE_DIR "/scripts/fashion_mnist_to_png.py"), partial,
                          QStringLiteral("--source"), kFashionMnistSource};
    if (limit > 0)
        arguments << QStringLiteral("--limit") << QString::number(limit);
    QProcess script;
    script.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    script.start(QStringLiteral("/usr/bin/python3"), arguments);
    if (!script.waitForFinished(-1) || script.exitStatus() != QProcess::NormalExit || script.exitCode() != 0)
        return QStringLiteral("the conversion of Fashion-MNIST to PNG folders failed");
    return QDir().rename(partial, root) ? QString() : QStringLiteral("cannot rename %1 to %2").arg(partial, root);
}

}  // namespace dw::test
