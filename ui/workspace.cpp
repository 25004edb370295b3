#include "ui/workspace.h"

namespace dw {

Workspace::Workspace(WorkbenchContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{}

}  // namespace dw
