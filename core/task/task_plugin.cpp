#include "core/task/task_plugin.h"

#include <QJsonArray>

namespace dw {

QJsonObject TaskMetadata::toJson() const
{
    using namespace Qt::StringLiterals;
    return QJsonObject{{u"task"_s, task},
                       {u"name"_s, name},
                       {u"description"_s, description},
                       {u"version"_s, version},
                       {u"architectures"_s, QJsonArray::fromStringList(architectures)}};
}

}  // namespace dw
