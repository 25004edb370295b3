# The image-classification networks. plugins/imageclass/CMakeLists.txt adds the library
# once it exists; until then (and in any order) the tests bring it in themselves.
if(NOT TARGET dwimageclass_models)
  add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/imageclass/models ${CMAKE_BINARY_DIR}/imageclass_models)
endif()
dw_add_test(test_imageclass_models LIBS dwimageclass_models TORCH)
