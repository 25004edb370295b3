# The Raster workspace (ui/raster, issue 5's GUI): composite and stretch checked against the
# pixels RasterReader reads, zoom/pan, before/after linking on generated rasters, a file GDAL
# cannot open, Save As, screenshots; super-resolution end to end when the plugin is built.
if(TARGET dwui)
  dw_add_test(test_raster_workspace LIBS dwui GDAL::GDAL LABELS gui raster
              SOURCES gui/gui_test_support.cpp gui/gui_test_support.h)
  target_compile_definitions(test_raster_workspace PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  # The end-to-end case loads libsuperres from the build's plugin folder when it is there
  # (built with `all`), and skips otherwise; building it is not forced on GUI work.
  set_tests_properties(test_raster_workspace PROPERTIES TIMEOUT 240)
endif()
if(TARGET dwui)
  dw_add_benchmark(bench_raster_view LIBS dwui)
endif()
