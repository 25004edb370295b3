# The Raster workspace (ui/raster, issue 5's GUI), in two suites sharing a fixture
# (gui/raster_workspace_fixture.h): test_raster_workspace views one raster — composite and
# stretch checked against the pixels RasterReader reads, zoom/pan, a file GDAL cannot open,
# subdatasets, nodata, screenshots; test_raster_linked_views links before/after views on
# generated rasters, swipe, Save As, and super-resolution end to end when the plugin is built.
if(TARGET dwui)
  foreach(raster_test IN ITEMS test_raster_workspace test_raster_linked_views)
    dw_add_test(${raster_test} LIBS dwui GDAL::GDAL LABELS gui raster
                SOURCES gui/gui_test_support.cpp gui/gui_test_support.h gui/raster_workspace_fixture.h)
    target_compile_definitions(${raster_test} PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
    set_tests_properties(${raster_test} PROPERTIES TIMEOUT 240)
  endforeach()
  # The end-to-end case loads libsuperres from the build's plugin folder when it is there
  # (built with `all`), and skips otherwise; building it is not forced on GUI work.
endif()
if(TARGET dwui)
  dw_add_benchmark(bench_raster_view LIBS dwui)
endif()
