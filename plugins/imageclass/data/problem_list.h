#pragma once
// Collects the problems found while reading a dataset, each with the file and line it is
// about, so that a scientist fixes them all in one go instead of one per attempt.
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace dw::imageclass {

class ProblemList {
public:
    explicit ProblemList(int maxShown = 20) : m_maxShown(maxShown) {}

    // "file:line: message" (line <= 0: "file: message"; file empty: "message").
    void add(const QString &file, int line, const QString &message);
    void add(const QString &message) { add({}, 0, message); }

    bool isEmpty() const { return m_count == 0; }
    int count() const { return m_count; }
    const QStringList &shown() const { return m_lines; }

    // One Error: the summary, then the problems one per line ("… and N more").
    Error toError(const QString &summary, const QString &field = {}) const;

private:
    int m_maxShown;
    int m_count = 0;
    QStringList m_lines;
};

}  // namespace dw::imageclass
