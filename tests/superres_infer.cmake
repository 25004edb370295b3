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
dw_add_test(test_self_ensemble SOURCES ${DW_SR_INFER_DIR}/self_ensemble.cpp
  ${PROJECT_SOURCE_DIR}/plugins/superres/data/guide_packing.cpp LABELS superres)

# The plugin end to end on L7_ETMs.tif (issue 5's acceptance) and the bad inputs; links GDAL
# to read the output back.
if(TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_superres_acceptance.cpp)
  dw_add_test(test_superres_acceptance LIBS GDAL::GDAL LABELS superres)
  add_dependencies(test_superres_acceptance superres)
  target_compile_definitions(test_superres_acceptance PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_superres_acceptance PROPERTIES TIMEOUT 1200)
endif()
if(TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_superres.cpp)
  dw_add_test(test_cli_superres LABELS superres)
  add_dependencies(test_cli_superres deepwb superres)
  target_compile_definitions(test_cli_superres PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_cli_superres PROPERTIES TIMEOUT 300)
endif()
# Guided super-resolution on L7_ETMs.tif split into a 28.5 m guide and 57 m SWIR bands.
if(TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_superres_guided.cpp)
  dw_add_test(test_cli_superres_guided LIBS GDAL::GDAL SOURCES sentinel2_fixture.h superres_fixture.h LABELS superres)
  add_dependencies(test_cli_superres_guided deepwb superres)
  target_compile_definitions(test_cli_superres_guided PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_cli_superres_guided PROPERTIES TIMEOUT 600)
endif()
# make bench BENCH=superres
if(TARGET dwsuperres)
  dw_add_benchmark(bench_superres LIBS dwsuperres TORCH)
endif()
# On a CUDA machine (QSKIP elsewhere): training batches and a tiled predict on the GPU.
if(TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_superres_gpu.cpp)
  dw_add_test(test_superres_gpu LIBS GDAL::GDAL LABELS "superres;gpu")
  add_dependencies(test_superres_gpu superres)
  target_compile_definitions(test_superres_gpu PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_superres_gpu PROPERTIES TIMEOUT 300)
endif()
