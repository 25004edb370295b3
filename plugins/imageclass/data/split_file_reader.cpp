#include "plugins/imageclass/data/split_file_reader.h"

#include "plugins/imageclass/data/problem_list.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <map>

namespace dw::imageclass {
namespace {

struct Entry {
    QString path;
    QString relativePath;
    QString label;
    qint64 bytes = 0;
    Subset subset;
    QString file;
    int line;
};

struct TextLines {
    QStringList lines;
    QString error;
};

TextLines readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, file.errorString()};
    QString text = QString::fromUtf8(file.readAll());
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    }
    return {lines, {}};
}

bool isIntegerToken(const QString &token, long long *value)
{
    bool ok = false;
    *value = token.toLongLong(&ok);
    return ok;
}

}  // namespace

QString SplitFileReader::findSplitDirectory(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return info.fileName().compare(QLatin1String("train.txt"), Qt::CaseInsensitive) == 0 ? info.absolutePath()
                                                                                             : QString();
    const QDir dir(info.absoluteFilePath());
    if (QFileInfo(dir.filePath(QStringLiteral("train.txt"))).isFile())
        return dir.absolutePath();
    if (QFileInfo(dir.filePath(QStringLiteral("dataset_files/train.txt"))).isFile())
        return dir.filePath(QStringLiteral("dataset_files"));
    return {};
}

Result<ImageDataset> SplitFileReader::read(const QString &path)
{
    const QString splitDir = findSplitDirectory(path);
    if (splitDir.isEmpty())
        return Error::at(QDir::toNativeSeparators(path),
                         QStringLiteral("no train.txt found here or in its dataset_files/ folder."));
    const QDir splits(splitDir);
    QDir rootDir(splitDir);
    if (rootDir.dirName() == QLatin1String("dataset_files"))
        rootDir.cdUp();
    const QString root = rootDir.absolutePath();

    QStringList bases;
    for (const QString &candidate : {rootDir.filePath(QStringLiteral("images")), root, splits.absolutePath()}) {
        if (QFileInfo(candidate).isDir() && !bases.contains(candidate))
            bases.append(candidate);
    }

    ProblemList problems;
    const QString where = QDir::toNativeSeparators(splits.absolutePath());
    static const QRegularExpression whitespace(QStringLiteral("\\s"));

    // classes.txt
    QStringList classes;
    std::map<QString, int> classLine;
    const QString classesPath = splits.filePath(QStringLiteral("classes.txt"));
    const bool haveClasses = QFileInfo(classesPath).isFile();
    if (haveClasses) {
        const TextLines text = readLines(classesPath);
        if (!text.error.isEmpty())
            return Error::at(QDir::toNativeSeparators(classesPath),
                             QStringLiteral("cannot be read: %1.").arg(text.error));
        for (qsizetype i = 0; i < text.lines.size(); ++i) {
            const QString name = text.lines[i].trimmed();
            if (name.isEmpty())
                continue;
            if (auto it = classLine.find(name); it != classLine.end()) {
                problems.add(QStringLiteral("classes.txt"), static_cast<int>(i + 1),
                             QStringLiteral("class '%1' is already listed on line %2.").arg(name).arg(it->second));
                continue;
            }
            classLine.emplace(name, static_cast<int>(i + 1));
            classes.append(name);
        }
    }

    QString description;
    if (const TextLines info = readLines(splits.filePath(QStringLiteral("info.txt"))); info.error.isEmpty())
        description = info.lines.join(QLatin1Char('\n')).trimmed();

    QStringList spacedClasses;
    for (const QString &name : classes) {
        if (name.contains(whitespace))
            spacedClasses.append(name);
    }
    std::sort(spacedClasses.begin(), spacedClasses.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });

    // The split files, each line "path label".
    std::vector<Entry> entries;
    std::map<QString, std::pair<QString, Subset>> firstListed;  // relative path -> "file:line", subset
    const std::pair<const char *, Subset> files[] = {
        {"train.txt", Subset::Train}, {"val.txt", Subset::Validation}, {"test.txt", Subset::Test}};
    for (const auto &[name, subset] : files) {
        const QString fileName = QString::fromLatin1(name);
        const QString filePath = splits.filePath(fileName);
        if (!QFileInfo(filePath).isFile())
            continue;
        const TextLines text = readLines(filePath);
        if (!text.error.isEmpty()) {
            problems.add(fileName, 0, QStringLiteral("cannot be read: %1.").arg(text.error));
            continue;
        }
        for (qsizetype i = 0; i < text.lines.size(); ++i) {
            const int lineNumber = static_cast<int>(i + 1);
            const QString line = text.lines[i].trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            qsizetype cut = line.lastIndexOf(whitespace);
            // A class name with spaces from classes.txt may be written out in full.
            for (const QString &name : spacedClasses) {
                if (line.size() > name.size() && line.endsWith(name) && line[line.size() - name.size() - 1].isSpace()) {
                    cut = line.size() - name.size() - 1;
                    break;
                }
            }
            if (cut < 0) {
                problems.add(fileName, lineNumber,
                             QStringLiteral("'%1' has no label: expected 'path label'.").arg(line));
                continue;
            }
            Entry entry{{}, line.left(cut).trimmed(), line.mid(cut + 1), 0, subset, fileName, lineNumber};
            QString found;
            if (QDir::isAbsolutePath(entry.relativePath)) {
                if (QFileInfo(entry.relativePath).isFile())
                    found = entry.relativePath;
            } else {
                for (const QString &base : bases) {
                    const QString candidate = QDir(base).filePath(entry.relativePath);
                    if (QFileInfo(candidate).isFile()) {
                        found = QDir::cleanPath(candidate);
                        break;
                    }
                }
            }
            if (found.isEmpty()) {
                QStringList looked;
                for (const QString &base : bases)
                    looked.append(QDir::toNativeSeparators(base));
                problems.add(fileName, lineNumber,
                             QStringLiteral("image '%1' not found (looked in %2).")
                                 .arg(entry.relativePath, looked.join(QStringLiteral(", "))));
                continue;
            }
            entry.path = QFileInfo(found).absoluteFilePath();
            entry.bytes = QFileInfo(found).size();
            const QString key = rootDir.relativeFilePath(entry.path);
            const QString origin = fileName + QLatin1Char(':') + QString::number(lineNumber);
            if (auto it = firstListed.find(key); it != firstListed.end() && it->second.second != subset) {
                problems.add(fileName, lineNumber,
                             QStringLiteral("'%1' is also listed in %2: an image in two parts of the split makes the "
                                            "evaluation meaningless.")
                                 .arg(entry.relativePath, it->second.first));
                continue;
            }
            firstListed.emplace(key, std::make_pair(origin, subset));
            entries.push_back(std::move(entry));
        }
    }
    if (entries.empty() && problems.isEmpty())
        problems.add(QStringLiteral("train.txt"), 0, QStringLiteral("lists no images."));

    // Labels: indices into classes.txt, or names. Without classes.txt, integer labels
    // name classes "0".."max" and other labels are class names, sorted.
    bool allIntegers = true;
    long long maxLabel = -1;
    for (const Entry &entry : entries) {
        long long value = 0;
        if (isIntegerToken(entry.label, &value))
            maxLabel = std::max(maxLabel, value);
        else
            allIntegers = false;
    }
    // Without classes.txt, integer labels make the classes 0..max: a huge one would make as many
    // (fuzzing found 1666666666666666666, which took all memory).
    constexpr long long kMaxNumberedClasses = 65536;
    if (!haveClasses && allIntegers && maxLabel >= kMaxNumberedClasses) {
        for (const Entry &entry : entries) {
            long long value = 0;
            if (isIntegerToken(entry.label, &value) && value >= kMaxNumberedClasses) {
                problems.add(
                    entry.file, entry.line,
                    QStringLiteral("label %1 is too large: without classes.txt, number labels count the classes "
                                   "from 0 (at most %2 classes); list the class names in classes.txt.")
                        .arg(value)
                        .arg(kMaxNumberedClasses));
                break;
            }
        }
        return problems.toError(QStringLiteral("the split files have problems:"), where);
    }
    if (!haveClasses) {
        if (allIntegers) {
            for (long long c = 0; c <= maxLabel; ++c)
                classes.append(QString::number(c));
        } else {
            QSet<QString> names;
            for (const Entry &entry : entries)
                names.insert(entry.label);
            classes = QStringList(names.begin(), names.end());
            std::sort(classes.begin(), classes.end());
        }
    }
    const bool integerLabels = haveClasses || allIntegers;
    std::vector<ImageSample> samples;
    samples.reserve(entries.size());
    for (const Entry &entry : entries) {
        long long value = -1;
        int label = -1;
        if (integerLabels && isIntegerToken(entry.label, &value)) {
            if (value < 0 || value >= classes.size()) {
                problems.add(entry.file, entry.line,
                             haveClasses
                                 ? QStringLiteral("label %1 is out of range: classes.txt lists %2 classes, "
                                                  "numbered 0 to %3.")
                                       .arg(value)
                                       .arg(classes.size())
                                       .arg(classes.size() - 1)
                                 : QStringLiteral("label %1 is negative; labels number classes from 0.").arg(value));
                continue;
            }
            label = static_cast<int>(value);
        } else {
            label = static_cast<int>(classes.indexOf(entry.label));
            if (label < 0) {
                problems.add(entry.file, entry.line,
                             QStringLiteral("label '%1' is not a class listed in classes.txt.").arg(entry.label));
                continue;
            }
        }
        samples.push_back({entry.path, rootDir.relativeFilePath(entry.path), label, entry.bytes, entry.subset,
                           entry.file + QLatin1Char(':') + QString::number(entry.line)});
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("the split files have problems:"), where);

    // A class with no image anywhere, named with its line in classes.txt.
    std::vector<qint64> counts(static_cast<std::size_t>(classes.size()), 0);
    for (const ImageSample &sample : samples)
        ++counts[static_cast<std::size_t>(sample.label)];
    for (qsizetype c = 0; c < classes.size(); ++c) {
        if (counts[static_cast<std::size_t>(c)] == 0)
            problems.add(haveClasses ? QStringLiteral("classes.txt") : QString(),
                         haveClasses ? classLine[classes[c]] : 0,
                         QStringLiteral("class '%1' has no images in train.txt, val.txt or test.txt.").arg(classes[c]));
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("classes without images:"), where);
    return ImageDataset::create(root, DatasetFormat::SplitFiles, classes, std::move(samples), description);
}

}  // namespace dw::imageclass
