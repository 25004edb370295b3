# Tests of the task interface, the plugin loader, the job system and the device service.
add_subdirectory(fake_plugins)

dw_add_test(test_argument_schema LABELS task)
dw_add_test(test_task_result LABELS task)
dw_add_test(test_plugin_manager LABELS task)
target_compile_definitions(test_plugin_manager PRIVATE DW_TEST_PLUGIN_DIR="${DW_TEST_PLUGIN_DIR}"
  DW_PLUGIN_INSTALL_DIR_FOR_TEST="${CMAKE_INSTALL_PREFIX}/${DW_PLUGIN_INSTALL_DIR}")
add_dependencies(test_plugin_manager dw_test_plugins)
dw_add_test(test_job_manager LABELS jobs)
dw_add_test(test_device_service LABELS ml TORCH)
dw_add_test(test_run_record LABELS jobs)
dw_add_test(test_training_progress LABELS jobs)
