# Super-resolution (issue 5), training side: the DSen2-style network, Wald's protocol, the
# patch sampler, normalisation, NAdam and reduce-on-plateau, the trainer and the module
# folder with LoadedSuperResolver. The plugin's CMakeLists adds dwsuperres.
dw_add_test(test_reduce_on_plateau LABELS superres)
if(NOT TARGET dwsuperres AND EXISTS ${PROJECT_SOURCE_DIR}/plugins/superres/CMakeLists.txt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/superres ${CMAKE_BINARY_DIR}/superres_plugin)
endif()
if(TARGET dwsuperres)
  dw_add_test(test_sr_network LIBS dwsuperres TORCH LABELS superres)
  dw_add_test(test_sr_data LIBS dwsuperres TORCH SOURCES superres_fixture.h LABELS superres)
  dw_add_test(test_sr_trainer LIBS dwsuperres TORCH SOURCES superres_fixture.h LABELS superres)
  set_tests_properties(test_sr_trainer PROPERTIES TIMEOUT 300)
  dw_add_test(test_sr_guided LIBS dwsuperres TORCH SOURCES superres_fixture.h LABELS superres)
  set_tests_properties(test_sr_guided PROPERTIES TIMEOUT 300)
endif()
if(TARGET dwsuperres)
  dw_add_benchmark(bench_sr_train LIBS dwsuperres TORCH)
  target_compile_definitions(bench_sr_train PRIVATE DW_SHARED_DATA_DIR="${DW_SHARED_DATA_DIR}")
endif()
