dw_add_test(test_cli)
target_compile_definitions(test_cli PRIVATE DW_VERSION_STRING="${PROJECT_VERSION}")
add_dependencies(test_cli deepwb)
