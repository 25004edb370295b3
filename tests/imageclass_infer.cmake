# The classifier module folder, classification metrics, prediction (top-k, TTA, Grad-CAM)
# and evaluation of a trained image classifier.
if(NOT TARGET dwimageclass_module)
  add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/imageclass/module ${CMAKE_BINARY_DIR}/imageclass_module)
endif()
dw_add_test(test_classifier_module LIBS dwimageclass_module)
dw_add_test(test_classification_metrics)
