# Full disk, kill -9 and two writers, injected into the real deepwb for all three tasks.
if(TARGET imageclass AND TARGET timeseries AND TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_fault_injection.cpp)
  dw_add_test(test_fault_injection LIBS ${OpenCV_LIBS} SOURCES cli_run.h shape_images.h timeseries_fixture.h big_module_fixture.h LABELS cli)
  add_dependencies(test_fault_injection deepwb imageclass timeseries superres)
  target_compile_definitions(test_fault_injection PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_fault_injection PROPERTIES TIMEOUT 600)
endif()
# kill -9 at random points of train, catalog import, catalog export and predict -o.
if(TARGET timeseries AND TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_random_kills.cpp)
  dw_add_test(test_random_kills SOURCES cli_run.h timeseries_fixture.h big_module_fixture.h LABELS cli)
  add_dependencies(test_random_kills deepwb timeseries superres)
  target_compile_definitions(test_random_kills PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_random_kills PROPERTIES TIMEOUT 600)
endif()
