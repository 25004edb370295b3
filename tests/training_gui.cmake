# Live training curves for every task in the Train workspace (ui/training): needs the Widgets
# library and the three task plugins.
if(TARGET dwui AND TARGET imageclass AND TARGET timeseries AND TARGET superres)
  dw_add_test(test_training_curves LIBS dwui LABELS gui)
  dw_add_test(test_live_curves LIBS dwui ${OpenCV_LIBS} LABELS gui imageclass timeseries superres
              SOURCES gui/gui_test_support.cpp gui/gui_test_support.h timeseries_fixture.h)
  target_compile_definitions(test_live_curves PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  add_dependencies(test_live_curves imageclass timeseries superres)
  set_tests_properties(test_live_curves PROPERTIES TIMEOUT 300)
endif()
