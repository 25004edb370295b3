#include "plugins/imageclass/data/folder_dataset_reader.h"

#include "core/io/file_names.h"

#include "core/io/image_reader.h"
#include "plugins/imageclass/data/problem_list.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <map>

namespace dw::imageclass {
namespace {

QStringList visibleSubfolders(const QString &directory)
{
    QStringList names = QDir(directory).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::NoSort);
    names.erase(
        std::remove_if(names.begin(), names.end(), [](const QString &n) { return n.startsWith(QLatin1Char('.')); }),
        names.end());
    std::sort(names.begin(), names.end());  // byte order: the same on every machine and locale
    return names;
}

Subset subsetOfFolder(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("train") || lower == QLatin1String("training"))
        return Subset::Train;
    if (lower == QLatin1String("val") || lower == QLatin1String("valid") || lower == QLatin1String("validation"))
        return Subset::Validation;
    if (lower == QLatin1String("test") || lower == QLatin1String("testing"))
        return Subset::Test;
    return Subset::Unassigned;
}

struct FoundImage {
    QString path;
    QString relativePath;
    qint64 bytes;
};

std::vector<FoundImage> imagesUnder(const QString &folder, const QDir &root)
{
    std::vector<FoundImage> found;
    QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (!ImageReader::isImageFileName(info.fileName()))
            continue;
        const QString path = info.absoluteFilePath();
        found.push_back({path, root.relativeFilePath(path), info.size()});
    }
    std::sort(found.begin(), found.end(),
              [](const FoundImage &a, const FoundImage &b) { return a.relativePath < b.relativePath; });
    return found;
}

bool hasImagesDirectly(const QString &directory)
{
    const QStringList files = QDir(directory).entryList(QDir::Files);
    return std::any_of(files.begin(), files.end(), [](const QString &f) { return ImageReader::isImageFileName(f); });
}

}  // namespace

Result<ImageDataset> FolderDatasetReader::read(const QString &directory)
{
    const QFileInfo rootInfo(directory);
    const QString where = QDir::toNativeSeparators(directory);
    if (!rootInfo.isDir())
        return Error::at(where, QStringLiteral("the dataset folder does not exist."));
    const QDir root(rootInfo.absoluteFilePath());
    const QStringList top = visibleSubfolders(root.absolutePath());

    // train/ (+ val/, test/) when those are the only subfolders.
    const bool splitLayout =
        std::any_of(top.begin(), top.end(), [](const QString &n) { return subsetOfFolder(n) == Subset::Train; }) &&
        std::all_of(top.begin(), top.end(), [](const QString &n) { return subsetOfFolder(n) != Subset::Unassigned; });

    struct ClassFolder {
        QString name;
        QString path;
        Subset subset;
    };
    std::vector<ClassFolder> folders;
    if (splitLayout) {
        for (const QString &part : top) {
            const QString partPath = root.filePath(part);
            for (const QString &name : visibleSubfolders(partPath))
                folders.push_back({name, QDir(partPath).filePath(name), subsetOfFolder(part)});
        }
    } else {
        for (const QString &name : top)
            folders.push_back({name, root.filePath(name), Subset::Unassigned});
    }

    if (folders.empty()) {
        if (hasImagesDirectly(root.absolutePath()))
            return Error::at(where,
                             QStringLiteral("the folder holds images but no class folders: put each class's images "
                                            "in a folder named after the class (%1/<class>/image.jpg).")
                                 .arg(QDir::toNativeSeparators(root.absolutePath())));
        return Error::at(where, QStringLiteral("no class folders and no images found. Expected one folder per class "
                                               "(e.g. %1/cat/1.jpg, %1/dog/2.jpg), DEEP split files (train.txt, "
                                               "classes.txt) or a CSV manifest (path,label).")
                                    .arg(QDir::toNativeSeparators(root.absolutePath())));
    }

    std::map<QString, int> classIndex;  // sorted names
    for (const ClassFolder &folder : folders)
        classIndex.emplace(folder.name, 0);
    QStringList classes;
    for (auto &[name, index] : classIndex) {
        index = static_cast<int>(classes.size());
        classes.append(name);
    }
    if (classes.size() < 2)
        return Error::at(where, QStringLiteral("need at least 2 classes to train a classifier; found only the class "
                                               "folder '%1'. Add a folder with images for each other class.")
                                    .arg(classes.first()));

    ProblemList problems;
    std::vector<ImageSample> samples;
    for (const ClassFolder &folder : folders) {
        const std::vector<FoundImage> images = imagesUnder(folder.path, root);
        if (images.empty()) {
            if (const UndecodableNames odd = undecodableNames(folder.path, true); odd.count > 0)
                problems.add(
                    QStringLiteral("class folder '%1' (%2) holds %3 file(s) such as '%4' that cannot be read: %5.")
                        .arg(folder.name, QDir::toNativeSeparators(folder.path))
                        .arg(odd.count)
                        .arg(odd.example, undecodableAdvice(QDir::toNativeSeparators(folder.path))));
            else
                problems.add(
                    QStringLiteral("class folder '%1' (%2) contains no images (JPEG, PNG, BMP, TIFF, WebP); add "
                                   "images or remove the folder.")
                        .arg(folder.name, QDir::toNativeSeparators(folder.path)));
            continue;
        }
        const int label = classIndex.at(folder.name);
        for (const FoundImage &image : images)
            samples.push_back({image.path, image.relativePath, label, image.bytes, folder.subset, {}});
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("empty class folders:"), where);
    return ImageDataset::create(root.absolutePath(), DatasetFormat::FolderPerClass, classes, std::move(samples));
}

}  // namespace dw::imageclass
