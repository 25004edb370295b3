# The time-series workspace (ui/timeseries): CSV preview, training from the GUI, forecast
# with band and alerts, export, bad files. Only with the Widgets library and the plugin.
if(TARGET dwui AND TARGET timeseries)
  dw_add_test(test_timeseries_workspace LIBS dwui LABELS gui timeseries
              SOURCES gui/gui_test_support.cpp gui/gui_test_support.h timeseries_fixture.h)
  target_compile_definitions(test_timeseries_workspace PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  add_dependencies(test_timeseries_workspace timeseries)
  set_tests_properties(test_timeseries_workspace PROPERTIES TIMEOUT 300)
endif()
