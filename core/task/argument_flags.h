#pragma once
// The way back from a task's arguments to the command line: the deepwb flags that give the
// values a form holds, as SchemaOptions (app/cli) reads them. What the Train workspace's
// "Run on a cluster…" puts after `deepwb train TASK`, so that the cluster trains the module
// the form describes.
#include "core/task/argument_schema.h"
#include "core/util/result.h"

#include <QStringList>
#include <QVariantMap>

namespace dw {

// values: raw or validated values by argument name. Each value is checked by the schema and
// written as "--NAME VALUE" (a list: "--NAME ITEM" per item; a boolean: "--NAME" or
// "--no-NAME"), in the schema's order; values equal to the argument's default and the names in
// skip are left out. Errors: an unknown or invalid value, a list item with a comma (the
// command line splits items at commas).
Result<QStringList> argumentFlags(const ArgumentSchema &schema, const QVariantMap &values,
                                  const QStringList &skip = {});

}  // namespace dw
