#pragma once
// An ImportReport in words for the preview: what the file is (rows, columns, delimiter),
// which column holds the time and in what format, how it is sampled, what is missing and
// what will be filled, and the reader's warnings. Rich text for a QLabel.
#include "core/io/import_report.h"
#include "core/io/table.h"

#include <QString>

namespace dw {

class ImportSummary {
public:
    static QString html(const ImportReport &report, const Table &table);
    // One line for the status bar: "sunspots.csv: 3265 rows, 1 numeric column, monthly".
    static QString oneLine(const ImportReport &report);
};

}  // namespace dw
