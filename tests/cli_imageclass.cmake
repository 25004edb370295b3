# The task commands of deepwb (train, retrain, evaluate, predict) and their pieces.
dw_add_test(test_schema_options SOURCES ${PROJECT_SOURCE_DIR}/app/cli/schema_options.cpp)
target_include_directories(test_schema_options PRIVATE ${PROJECT_SOURCE_DIR}/app/cli)
dw_add_test(test_progress_bar SOURCES ${PROJECT_SOURCE_DIR}/app/cli/progress_bar.cpp)
target_include_directories(test_progress_bar PRIVATE ${PROJECT_SOURCE_DIR}/app/cli)

# End to end through the deepwb binary with the imageclass plugin; only once the plugin exists.
if(TARGET imageclass AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_imageclass.cpp)
  dw_add_test(test_cli_imageclass LABELS imageclass)
  add_dependencies(test_cli_imageclass deepwb imageclass)
  target_compile_definitions(test_cli_imageclass PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  target_link_libraries(test_cli_imageclass PRIVATE ${OpenCV_LIBS})
  set_tests_properties(test_cli_imageclass PROPERTIES TIMEOUT 300)
endif()
if(TARGET imageclass)
  dw_add_test(test_imageclass_plugin LABELS imageclass)
  add_dependencies(test_imageclass_plugin imageclass)
  target_compile_definitions(test_imageclass_plugin PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
endif()

# Fashion-MNIST through the plugin: the >= 90 % / <= 15 min target and the re-training case.
if(TARGET imageclass)
  dw_add_benchmark(bench_fashion_mnist SOURCES ${PROJECT_SOURCE_DIR}/app/cli/progress_bar.cpp)
  target_include_directories(bench_fashion_mnist PRIVATE ${PROJECT_SOURCE_DIR}/app/cli)
  target_compile_definitions(bench_fashion_mnist PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}"
    DW_BUILD_DIR="${CMAKE_BINARY_DIR}" DW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(bench_fashion_mnist imageclass)
endif()
