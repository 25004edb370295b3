#include "core/catalog/module_id.h"

#include <QRegularExpression>

namespace dw {

bool isValidModuleId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    return id.size() <= kMaxModuleIdLength && pattern.match(id).hasMatch();
}

QString moduleIdFromName(const QString &name)
{
    // Decomposed, the accents are marks of their own and fall out with the other characters.
    const QString decomposed = name.normalized(QString::NormalizationForm_KD).toLower();
    QString id;
    bool separator = false;
    for (const QChar c : decomposed) {
        const bool keep = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_';
        if (c.isMark())
            continue;
        if (keep) {
            if (separator && !id.isEmpty())
                id += u'-';
            separator = false;
            id += c;
        } else {
            separator = true;  // spaces, '-', other letters and signs
        }
    }
    // Starts with a letter or digit; a cut never leaves a separator at the end.
    while (!id.isEmpty() && !id.front().isLetterOrNumber())
        id.remove(0, 1);
    id.truncate(kMaxModuleIdLength);
    while (!id.isEmpty() && !id.back().isLetterOrNumber())
        id.chop(1);
    return id;
}

}  // namespace dw
