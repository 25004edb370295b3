# The Serve window (ui/serve), only when the Widgets library is built.
if(TARGET dwui)
  dw_add_test(test_serve_window LIBS dwui Qt6::Network LABELS gui serve)
  target_compile_definitions(test_serve_window PRIVATE DW_TEST_PLUGIN_DIR="${DW_TEST_PLUGIN_DIR}" DW_SERVE_PLUGIN_DIR="${DW_SERVE_PLUGIN_DIR}")
  add_dependencies(test_serve_window dwtestplugin dwservetestplugin)
endif()
