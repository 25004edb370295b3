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
  # Issue 16: fine-tuning a parent module (sr_parent.h) against training from scratch.
  dw_add_test(test_sr_finetune LIBS dwsuperres TORCH LABELS superres)
  set_tests_properties(test_sr_finetune PROPERTIES TIMEOUT 300)
endif()
if(TARGET dwsuperres)
  dw_add_benchmark(bench_sr_train LIBS dwsuperres TORCH)
  target_compile_definitions(bench_sr_train PRIVATE DW_SHARED_DATA_DIR="${DW_SHARED_DATA_DIR}")
endif()
# deepwb retrain of a super-resolution module end to end (issue 16).
if(TARGET superres AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_sr_retrain.cpp)
  dw_add_test(test_cli_sr_retrain LABELS superres)
  add_dependencies(test_cli_sr_retrain deepwb superres)
  target_compile_definitions(test_cli_sr_retrain PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
  set_tests_properties(test_cli_sr_retrain PROPERTIES TIMEOUT 300)
endif()
