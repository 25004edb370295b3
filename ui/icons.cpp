#include "ui/icons.h"

// The resources of a static library are only linked in when something initialises them.
static void initUiResources()
{
    Q_INIT_RESOURCE(ui);
}

namespace dw {

QIcon icon(const QString &name)
{
    static const bool initialised = [] {
        initUiResources();
        return true;
    }();
    Q_UNUSED(initialised)
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

}  // namespace dw
