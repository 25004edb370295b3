#include "ui/training/dataset_summary.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>

namespace dw {

namespace {

const QStringList kSplitFolders{QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("validation"),
                                QStringLiteral("test")};

bool isImageFile(const QString &path)
{
    static const QStringList suffixes = [] {
        QStringList list{QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp")};
        for (const QByteArray &format : QImageReader::supportedImageFormats())
            list << QString::fromLatin1(format).toLower();
        return list;
    }();
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

QImage thumbnail(const QString &path, int side)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio));
    return reader.read();
}

}  // namespace

Result<DatasetSummary> DatasetSummary::scan(const QString &root, const std::function<bool()> &cancelled)
{
    const QFileInfo rootInfo(root);
    if (!rootInfo.isDir())
        return failure(
            QObject::tr("%1 is not a folder: choose the folder that holds a sub-folder per class").arg(root));
    DatasetSummary s;
    s.root = rootInfo.absoluteFilePath();
    // Class folders: the root's sub-folders, or those of train/, val/ and test/ when split.
    QList<QDir> classParents;
    const QDir dir(s.root);
    for (const QString &split : kSplitFolders) {
        if (dir.exists(split)) {
            classParents << QDir(dir.filePath(split));
            s.splits << split;
            s.splitImages << 0;
        }
    }
    if (classParents.isEmpty())
        classParents << dir;
    std::map<QString, qint64> counts;
    std::map<QString, QList<QImage>> samples;
    QStringList unreadable;
    for (qsizetype p = 0; p < classParents.size(); ++p) {
        const QDir &parent = classParents.at(p);
        for (const QString &name : parent.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            qint64 &count = counts[name];
            QDirIterator it(parent.filePath(name), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                if (cancelled && cancelled())
                    return failure(QObject::tr("cancelled"));
                const QString file = it.next();
                if (!isImageFile(file))
                    continue;
                QImageReader reader(file);
                if (!reader.canRead()) {  // the header only: cheap, and catches most damage
                    ++s.unreadable;
                    unreadable << QDir(s.root).relativeFilePath(file);
                    continue;
                }
                ++count;
                if (!s.splits.isEmpty())
                    ++s.splitImages[p];
                QList<QImage> &classSamples = samples[name];
                if (classSamples.size() < kSamplesPerClass)
                    classSamples << thumbnail(file, 64);
            }
        }
    }
    for (const auto &[name, count] : counts) {
        s.classes << name;
        s.counts << count;
        s.samples << samples[name];
        s.images += count;
        if (count == 0)
            s.problems << QObject::tr("The class '%1' has no images: remove its folder or add images.").arg(name);
        else if (count < kTinyClass)
            s.problems << QObject::tr("The class '%1' has only %n image(s): too few to learn and test it; add images.",
                                      nullptr, int(count))
                              .arg(name);
    }
    if (s.classes.size() == 1)
        s.problems << QObject::tr("There is a single class: a classifier needs at least two class folders.");
    if (s.classes.isEmpty())
        s.problems << QObject::tr("No class folders found: put the images of each class into a folder named after it "
                                  "(or use split files or a CSV manifest, which the task reads when it trains).");
    if (s.unreadable > 0) {
        QStringList shown = unreadable.mid(0, kMaxProblemFiles);
        s.problems << QObject::tr("%n file(s) cannot be read as images and will be skipped: %1%2", nullptr,
                                  int(s.unreadable))
                          .arg(shown.join(QStringLiteral(", ")),
                               unreadable.size() > shown.size() ? QStringLiteral(", …") : QString());
    }
    return s;
}

}  // namespace dw
