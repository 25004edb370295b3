#pragma once
// A CSV manifest: one image a row, "path,label" and optionally a third column "split"
// (train, val/validation, test). A header row is recognised by its column names (path,
// file, filename, image...; label, class, category...; split, subset) and may put the
// columns in any order. Fields may be quoted ("a, b.jpg", with "" for a quote); the
// delimiter is a comma, or a semicolon or tab when the first row has no comma. Paths are
// relative to the CSV's folder. Labels are class names (integers sort numerically).
#include "core/util/result.h"
#include "plugins/imageclass/data/image_dataset.h"

#include <QChar>
#include <QString>
#include <QStringList>

namespace dw::imageclass {

class CsvManifestReader {
public:
    // The manifest a folder holds: manifest.csv, labels.csv, dataset.csv or data.csv, or
    // its only .csv when it has at most one subfolder; empty when none.
    static QString findManifest(const QString &directory);
    static Result<ImageDataset> read(const QString &csvPath);
    // One CSV row; an error message (unterminated quote, text after a closing quote).
    static Result<QStringList> parseRow(const QString &line, QChar delimiter);
};

}  // namespace dw::imageclass
