#pragma once
// What a request's arguments and Accept header ask for, before the task sees them.
//  - Arguments: DEEPaaS ignores names it does not know; so do we, and say so in a warning.
//    Names the task has but the server fills itself (output, module, parent) stay refused.
//  - Accept: a list of media ranges with parameters and q-values ("application/json;
//    charset=utf-8", "image/png;q=0.9, */*;q=0.1"), reduced to the one media type to answer in.
#include "core/task/argument_schema.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace dw {

struct ArgumentSplit {
    QVariantMap known;    // the arguments of the REST schema, for its validate()
    QStringList ignored;  // names neither schema has: left out
    QString serverOwned;  // the first name the task has but the server fills; empty: none
};

// rest: what a client may send; full: the task's whole schema; alsoAllowed: names handled
// before the schema (accept, data, the file fields).
ArgumentSplit splitArguments(const QVariantMap &raw, const ArgumentSchema &rest, const ArgumentSchema &full,
                             const QStringList &alsoAllowed = {});
// "the argument \"colour\" is not one of this model's and was ignored", for the reply.
QString ignoredWarning(const QStringList &names);

// The media type to answer in from an Accept header: "" for JSON (no header, */*, a range
// that takes application/json), else the most preferred concrete type or range ("image/*").
// Ranges with q=0 are refused ones. Fails with a message when the header is not a media range list.
Result<QString> preferredMediaType(const QString &acceptHeader);

}  // namespace dw
