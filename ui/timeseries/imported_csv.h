#pragma once
// A CSV/TSV file as the time-series workspace holds it once imported: its path and the
// table with the reader's report, shared read-only between the pages and the jobs.
#include "core/io/table_reader.h"

#include <QMetaType>
#include <QString>

#include <memory>

namespace dw {

struct ImportedCsv {
    QString path;
    std::shared_ptr<const TableImport> import;

    bool isNull() const { return !import; }
    const Table &table() const { return import->table; }
    const ImportReport &report() const { return import->report; }
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::ImportedCsv)
