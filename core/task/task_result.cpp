#include "core/task/task_result.h"
