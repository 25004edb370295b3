#pragma once
// The real data sets of ../shared/data (next to the checkout; another place with cmake
// -DDW_SHARED_DATA_DIR=...). A test that needs one skips, saying where it looked, when the
// file is not there — as the table-reader suites do.
#include <QFile>
#include <QString>
#include <QTest>

#define DW_REQUIRE_SHARED_FILE(path)                                                                                   \
    do {                                                                                                               \
        if (!QFile::exists(path))                                                                                      \
            QSKIP(qPrintable(QStringLiteral("the shared data file %1 is not there (../shared/data next "               \
                                            "to the checkout, or cmake -DDW_SHARED_DATA_DIR=DIR)")                     \
                                 .arg(path)));                                                                         \
    } while (false)
