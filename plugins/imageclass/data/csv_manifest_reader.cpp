#include "plugins/imageclass/data/csv_manifest_reader.h"

#include "plugins/imageclass/data/problem_list.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace dw::imageclass {
namespace {

int columnOf(const QStringList &header, std::initializer_list<const char *> names)
{
    for (qsizetype i = 0; i < header.size(); ++i) {
        const QString h = header[i].trimmed().toLower();
        for (const char *name : names) {
            if (h == QLatin1String(name))
                return static_cast<int>(i);
        }
    }
    return -1;
}

Subset subsetFromText(const QString &text, bool *ok)
{
    const QString t = text.trimmed().toLower();
    *ok = true;
    if (t.isEmpty())
        return Subset::Unassigned;
    if (t == QLatin1String("train") || t == QLatin1String("training"))
        return Subset::Train;
    if (t == QLatin1String("val") || t == QLatin1String("valid") || t == QLatin1String("validation"))
        return Subset::Validation;
    if (t == QLatin1String("test") || t == QLatin1String("testing"))
        return Subset::Test;
    *ok = false;
    return Subset::Unassigned;
}

}  // namespace

QString CsvManifestReader::findManifest(const QString &directory)
{
    const QDir dir(directory);
    for (const char *name : {"manifest.csv", "labels.csv", "dataset.csv", "data.csv"}) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        if (QFileInfo(path).isFile())
            return QFileInfo(path).absoluteFilePath();
    }
    const QStringList csvs = dir.entryList({QStringLiteral("*.csv"), QStringLiteral("*.CSV")}, QDir::Files);
    const QStringList subfolders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (csvs.size() == 1 && subfolders.size() <= 1)
        return QFileInfo(dir.filePath(csvs.first())).absoluteFilePath();
    return {};
}

Result<QStringList> CsvManifestReader::parseRow(const QString &line, QChar delimiter)
{
    QStringList fields;
    QString field;
    bool quoted = false;     // inside quotes
    bool wasQuoted = false;  // this field was quoted and its quotes closed
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                    wasQuoted = true;
                }
            } else {
                field += c;
            }
        } else if (c == delimiter) {
            fields.append(wasQuoted ? field : field.trimmed());
            field.clear();
            wasQuoted = false;
        } else if (c == QLatin1Char('"') && field.trimmed().isEmpty() && !wasQuoted) {
            quoted = true;
            field.clear();
        } else if (wasQuoted) {
            if (!c.isSpace())
                return failure(QStringLiteral("text after a closing quote: quote the whole field, and write a quote "
                                              "inside it as \"\"."));
        } else {
            field += c;
        }
    }
    if (quoted)
        return failure(QStringLiteral("a quoted field is not closed (a missing \")."));
    fields.append(wasQuoted ? field : field.trimmed());
    return fields;
}

Result<ImageDataset> CsvManifestReader::read(const QString &csvPath)
{
    const QFileInfo csvInfo(csvPath);
    const QString fileName = csvInfo.fileName();
    const QString where = QDir::toNativeSeparators(csvInfo.absoluteFilePath());
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error::at(where, QStringLiteral("cannot be read: %1.").arg(file.errorString()));
    QString text = QString::fromUtf8(file.readAll());
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QStringList lines = text.split(QLatin1Char('\n'));
    const QDir base = csvInfo.absoluteDir();

    qsizetype first = 0;
    while (first < lines.size() && lines[first].trimmed().isEmpty())
        ++first;
    if (first == lines.size())
        return Error::at(where, QStringLiteral("the manifest is empty: expected rows 'path,label'."));
    QChar delimiter = QLatin1Char(',');
    if (!lines[first].contains(delimiter))
        delimiter = lines[first].contains(QLatin1Char(';')) ? QLatin1Char(';') : QLatin1Char('\t');

    int pathColumn = 0, labelColumn = 1, splitColumn = -1;
    qsizetype start = first;
    if (auto header = parseRow(lines[first].trimmed(), delimiter); header) {
        const int p =
            columnOf(*header, {"path", "file", "filename", "file_name", "filepath", "image", "image_path", "img"});
        const int l = columnOf(*header, {"label", "class", "category", "target", "class_name", "species"});
        if (p >= 0 || l >= 0) {
            if (p < 0 || l < 0)
                return Error::at(where, QStringLiteral("the header names no %1 column; name the columns 'path' and "
                                                       "'label'.")
                                            .arg(p < 0 ? QStringLiteral("path") : QStringLiteral("label")));
            pathColumn = p;
            labelColumn = l;
            splitColumn = columnOf(*header, {"split", "subset", "set", "fold"});
            start = first + 1;
        }
    }

    struct Row {
        QString path, relativePath, label;
        qint64 bytes;
        Subset subset;
        int line;
    };
    ProblemList problems;
    std::vector<Row> rows;
    const int needed = std::max(pathColumn, labelColumn) + 1;
    for (qsizetype i = start; i < lines.size(); ++i) {
        const int lineNumber = static_cast<int>(i + 1);
        QString line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        auto fields = parseRow(line, delimiter);
        if (!fields) {
            problems.add(fileName, lineNumber, fields.error().message);
            continue;
        }
        if (fields->size() < needed) {
            const QString separator =
                delimiter == QLatin1Char('\t') ? QStringLiteral("a tab") : QStringLiteral("'%1'").arg(delimiter);
            problems.add(fileName, lineNumber,
                         QStringLiteral("expected at least %1 fields (path and label) separated by %2, but found %3.")
                             .arg(needed)
                             .arg(separator)
                             .arg(fields->size()));
            continue;
        }
        const int unnamedSplit = splitColumn < 0 && start == first && fields->size() >= 3 ? 2 : splitColumn;
        Row row{{}, fields->at(pathColumn), fields->at(labelColumn).trimmed(), 0, Subset::Unassigned, lineNumber};
        if (row.relativePath.isEmpty() || row.label.isEmpty()) {
            problems.add(fileName, lineNumber,
                         row.relativePath.isEmpty() ? QStringLiteral("the path is empty.")
                                                    : QStringLiteral("the label is empty."));
            continue;
        }
        if (unnamedSplit >= 0 && unnamedSplit < fields->size()) {
            bool ok = false;
            row.subset = subsetFromText(fields->at(unnamedSplit), &ok);
            if (!ok) {
                problems.add(
                    fileName, lineNumber,
                    QStringLiteral("split '%1' is not one of train, val, test.").arg(fields->at(unnamedSplit)));
                continue;
            }
        }
        const QFileInfo image(QDir::isAbsolutePath(row.relativePath) ? row.relativePath
                                                                     : base.filePath(row.relativePath));
        if (!image.isFile()) {
            problems.add(fileName, lineNumber,
                         QStringLiteral("image '%1' not found (looked in %2).")
                             .arg(row.relativePath, QDir::toNativeSeparators(base.absolutePath())));
            continue;
        }
        row.path = image.absoluteFilePath();
        row.bytes = image.size();
        rows.push_back(std::move(row));
    }
    if (!problems.isEmpty())
        return problems.toError(QStringLiteral("the manifest has problems:"), where);
    if (rows.empty())
        return Error::at(where, QStringLiteral("the manifest lists no images."));

    QSet<QString> names;
    bool allIntegers = true;
    for (const Row &row : rows) {
        names.insert(row.label);
        bool ok = false;
        row.label.toLongLong(&ok);
        allIntegers = allIntegers && ok;
    }
    QStringList classes(names.begin(), names.end());
    std::sort(classes.begin(), classes.end(), [allIntegers](const QString &a, const QString &b) {
        return allIntegers ? a.toLongLong() < b.toLongLong() : a < b;
    });
    std::vector<ImageSample> samples;
    samples.reserve(rows.size());
    for (const Row &row : rows)
        samples.push_back({row.path, base.relativeFilePath(row.path), static_cast<int>(classes.indexOf(row.label)),
                           row.bytes, row.subset, fileName + QLatin1Char(':') + QString::number(row.line)});
    return ImageDataset::create(base.absolutePath(), DatasetFormat::CsvManifest, classes, std::move(samples));
}

}  // namespace dw::imageclass
