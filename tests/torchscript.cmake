# TorchScript models brought from PyTorch: imported, run and fine-tuned through deepwb, compared
# with Debian's python3-torch (installed by packaging/install-deps.sh) on the same inputs.
if(TARGET imageclass AND TARGET superres)
  dw_add_test(test_cli_torchscript LABELS imageclass superres)
  add_dependencies(test_cli_torchscript deepwb imageclass superres)
  target_compile_definitions(test_cli_torchscript PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}"
    DW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(test_cli_torchscript PRIVATE ${OpenCV_LIBS})
  set_tests_properties(test_cli_torchscript PROPERTIES TIMEOUT 900)
endif()

# train --init: ImageNet weights from the cache, offline fallbacks, files, modules.
if(TARGET imageclass)
  dw_add_test(test_cli_pretrained LIBS dwimageclass_models LABELS imageclass TORCH)
  add_dependencies(test_cli_pretrained deepwb imageclass)
  target_compile_definitions(test_cli_pretrained PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}"
    DW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(test_cli_pretrained PRIVATE ${OpenCV_LIBS})
  set_tests_properties(test_cli_pretrained PROPERTIES TIMEOUT 900)
endif()
