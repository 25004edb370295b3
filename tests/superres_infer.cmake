# Super-resolution (issue 5), inference side: image quality (core/ml), the tile planner and
# the tiled super-resolver (plugins/superres/infer), the plugin, the CLI end to end on
# L7_ETMs.tif, and the ×2 benchmark. Parts not written yet are skipped.
dw_add_test(test_image_quality LABELS superres)
# The tiling needs no network: its sources are compiled in, so these build before (and
# whether or not) the rest of plugins/superres does.
set(DW_SR_INFER_DIR ${PROJECT_SOURCE_DIR}/plugins/superres/infer)
dw_add_test(test_tile_planner SOURCES ${DW_SR_INFER_DIR}/tile_planner.cpp LABELS superres)
dw_add_test(test_tiled_superresolver LIBS ${OpenCV_LIBS}
  SOURCES ${DW_SR_INFER_DIR}/tile_planner.cpp ${DW_SR_INFER_DIR}/tiled_superresolver.cpp LABELS superres)
