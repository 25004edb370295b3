#pragma once
// Puts the rows of a freshly read table in time order, merges rows that share a time stamp
// (by DuplicatePolicy) and measures the sampling: the median step in the time format's own
// unit (months for monthly data, whose lengths in seconds differ), how many steps differ
// from it, and whether daily data skips weekends (business days are then regular).
#include "core/io/import_report.h"
#include "core/io/table.h"
#include "core/io/table_read_options.h"

#include <vector>

namespace dw {

class TimeOrdering {
public:
    // ordinals: each row's time in the format's unit (ParsedTime::ordinal), kept in step
    // with table.time. Fills report.wasSorted, outOfOrder, duplicateTimes, duplicatePolicy.
    static void sortAndMerge(Table &table, std::vector<double> &ordinals, DuplicatePolicy policy, ImportReport &report);
    // ordinals strictly increasing (after sortAndMerge); seconds in step with them.
    static SamplingReport analyze(const std::vector<double> &ordinals, const std::vector<double> &seconds,
                                  TimeUnit unit);
    // 0 = Monday … 6 = Sunday for days since 1970-01-01.
    static int weekday(qint64 days);
};

}  // namespace dw
