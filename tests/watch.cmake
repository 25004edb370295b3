# Live streams (issue 6): the line sources of core/io; `deepwb watch` end to end over UDP,
# TCP and a followed file; the streaming benchmark.
dw_add_test(test_line_sources LABELS io)
if(TARGET timeseries AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_watch.cpp)
  dw_add_test(test_cli_watch SOURCES timeseries_fixture.h LABELS timeseries)
  add_dependencies(test_cli_watch deepwb timeseries)
  target_compile_definitions(test_cli_watch PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_cli_watch PROPERTIES TIMEOUT 600)
endif()
if(TARGET dwtimeseries)
  dw_add_test(test_stream_monitor LIBS dwtimeseries TORCH SOURCES timeseries_fixture.h LABELS timeseries)
  set_tests_properties(test_stream_monitor PROPERTIES TIMEOUT 300)
  dw_add_benchmark(bench_watch LIBS dwtimeseries TORCH)
endif()
