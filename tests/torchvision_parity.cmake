# Every image-classification backbone against torchvision itself (Debian's python3-torchvision,
# installed by packaging/install-deps.sh): torchvision's state dict loads unchanged and the
# logits agree. Reads three windows of the Landsat scene through core's RasterReader.
if(NOT TARGET dwimageclass_models)
  add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/imageclass/models ${CMAKE_BINARY_DIR}/imageclass_models)
endif()
dw_add_test(test_torchvision_parity LIBS dwimageclass_models TORCH LABELS imageclass)
target_compile_definitions(test_torchvision_parity PRIVATE
  DW_PARITY_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/torchvision_parity.py")
# Six backbones, each built and run in Python and in C++ at 224×224 on the CPU.
set_tests_properties(test_torchvision_parity PROPERTIES TIMEOUT 600)
