#pragma once
#include <QList>

class QWidget;

namespace dw {

class Workspace;
class WorkbenchContext;

// Every workspace of the workbench, in side-bar order. The first is shown at start.
QList<Workspace *> createWorkspaces(WorkbenchContext &context, QWidget *parent);

}  // namespace dw
