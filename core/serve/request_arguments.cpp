#include "core/serve/request_arguments.h"

#include <QRegularExpression>

#include <algorithm>

namespace dw {

using namespace Qt::StringLiterals;

ArgumentSplit splitArguments(const QVariantMap &raw, const ArgumentSchema &rest, const ArgumentSchema &full,
                             const QStringList &alsoAllowed)
{
    ArgumentSplit split;
    for (auto it = raw.cbegin(); it != raw.cend(); ++it) {
        if (rest.find(it.key()) || alsoAllowed.contains(it.key()))
            split.known.insert(it.key(), it.value());
        else if (full.find(it.key())) {
            if (split.serverOwned.isEmpty())
                split.serverOwned = it.key();
        } else
            split.ignored.append(it.key());
    }
    return split;
}

QString ignoredWarning(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted.append(u'"' + name + u'"');
    return names.size() == 1 ? u"the argument %1 is not one of this model's and was ignored"_s.arg(quoted.first())
                             : u"the arguments %1 are not this model's and were ignored"_s.arg(quoted.join(u", "_s));
}

Result<QString> preferredMediaType(const QString &acceptHeader)
{
    static const QRegularExpression range(u"^([a-z0-9][a-z0-9.+-]*|\\*)/([a-z0-9][a-z0-9.+-]*|\\*)$"_s);
    struct Choice {
        QString type;
        double q;
        int order;
    };
    std::vector<Choice> choices;
    const QStringList parts = acceptHeader.toLower().split(u',', Qt::SkipEmptyParts);
    for (int i = 0; i < parts.size(); ++i) {
        const QStringList pieces = parts[i].split(u';');
        const QString type = pieces.first().trimmed();
        if (type.isEmpty())
            continue;
        if (!range.match(type).hasMatch())
            return failure(
                u"\"%1\" is not a media type: use application/json (the default) or the type of the file wanted, "
                "e.g. image/png or image/tiff"_s.arg(type),
                u"accept"_s);
        double q = 1.0;
        for (qsizetype p = 1; p < pieces.size(); ++p) {
            const QString parameter = pieces[p].trimmed();
            if (parameter.startsWith(u"q="_s)) {
                bool ok = false;
                q = parameter.mid(2).toDouble(&ok);
                if (!ok || q < 0 || q > 1)
                    return failure(u"\"%1\": q must be a number from 0 to 1"_s.arg(parts[i].trimmed()), u"accept"_s);
            }
        }
        if (q > 0)
            choices.push_back({type, q, i});
    }
    if (choices.empty())
        return QString();
    std::stable_sort(choices.begin(), choices.end(), [](const Choice &a, const Choice &b) { return a.q > b.q; });
    // JSON wherever the best ranges take it (what DEEPaaS answers by default).
    const double best = choices.front().q;
    for (const Choice &c : choices) {
        if (c.q < best)
            break;
        if (c.type == u"application/json"_s || c.type == u"*/*"_s || c.type == u"application/*"_s)
            return QString();
    }
    return choices.front().type;
}

}  // namespace dw
