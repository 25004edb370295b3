# The REST API (issue 7): its parts, and integration tests over real loopback HTTP against
# the test plugins (test-echo from tests/fake_plugins, test-files built here into a folder of its
# own so that the plugin loader's tests, which expect only test-echo, never see it).
set(DW_SERVE_PLUGIN_DIR ${CMAKE_BINARY_DIR}/tests/serveplugins)
add_library(dwservetestplugin MODULE fake_plugins/serve_plugin.cpp fake_plugins/serve_plugin.h fake_plugins/serve_plugin.json)
target_link_libraries(dwservetestplugin PRIVATE dwcore Qt6::Core)
target_compile_definitions(dwservetestplugin PRIVATE QT_NO_KEYWORDS)
set_target_properties(dwservetestplugin PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${DW_SERVE_PLUGIN_DIR} PREFIX "lib")

dw_add_test(test_form_data LIBS dwserve LABELS serve)
dw_add_test(test_training_store LIBS dwserve LABELS serve)
dw_add_test(test_openapi_document LIBS dwserve LABELS serve)
foreach(t IN ITEMS test_rest_server test_rest_training test_request_guard test_rest_hardening test_rest_deepaas)
  dw_add_test(${t} LIBS dwserve Qt6::Network LABELS serve)
  target_compile_definitions(${t} PRIVATE DW_TEST_PLUGIN_DIR="${DW_TEST_PLUGIN_DIR}" DW_SERVE_PLUGIN_DIR="${DW_SERVE_PLUGIN_DIR}")
  add_dependencies(${t} dwtestplugin dwservetestplugin deepwb)
  set_tests_properties(${t} PROPERTIES TIMEOUT 120)
endforeach()

dw_add_benchmark(bench_serve)
target_link_libraries(bench_serve PRIVATE dwserve Qt6::Network ${OpenCV_LIBS})
target_compile_definitions(bench_serve PRIVATE DW_TEST_PLUGIN_DIR="${DW_TEST_PLUGIN_DIR}" DW_SERVE_PLUGIN_DIR="${DW_SERVE_PLUGIN_DIR}"
  DW_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
target_include_directories(bench_serve PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
add_dependencies(bench_serve dwtestplugin dwservetestplugin)

# With the real image classification plugin (skips itself when the plugin is not built).
dw_add_test(test_rest_imageclass LABELS serve imageclass)
target_link_libraries(test_rest_imageclass PRIVATE dwserve Qt6::Network ${OpenCV_LIBS})
target_compile_definitions(test_rest_imageclass PRIVATE DW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
set_tests_properties(test_rest_imageclass PROPERTIES TIMEOUT 300)
if(TARGET imageclass)
  add_dependencies(test_rest_imageclass imageclass)
endif()

# With the real time-series plugin (skips itself when the plugin is not built).
dw_add_test(test_rest_timeseries LABELS serve timeseries)
target_link_libraries(test_rest_timeseries PRIVATE dwserve Qt6::Network)
set_tests_properties(test_rest_timeseries PROPERTIES TIMEOUT 300)
add_dependencies(test_rest_timeseries deepwb)
if(TARGET timeseries)
  add_dependencies(test_rest_timeseries timeseries)
endif()
# A guided super-resolution module over REST: the guide as a file field of its own.
dw_add_test(test_rest_superres SOURCES superres_fixture.h LABELS serve superres)
target_link_libraries(test_rest_superres PRIVATE dwserve Qt6::Network)
set_tests_properties(test_rest_superres PROPERTIES TIMEOUT 300)
if(TARGET superres)
  add_dependencies(test_rest_superres superres)
endif()

# The task plugins and libdwcore never load the HTTP server (libdwserve has it to itself):
# ldd lists every library a plugin brings in, directly or not.
foreach(plugin IN ITEMS imageclass timeseries superres)
  if(TARGET ${plugin})
    add_test(NAME test_no_http_server_in_${plugin}
             COMMAND sh -c "ldd \"$1\" \"$2\" | grep -i httpserver && exit 1 || exit 0" sh $<TARGET_FILE:${plugin}> $<TARGET_FILE:dwcore>)
    set_tests_properties(test_no_http_server_in_${plugin} PROPERTIES LABELS "serve")
  endif()
endforeach()
