# Training machinery (core/ml: schedules, early stopping, history) and the image classifier
# trainer (plugins/imageclass/train).
dw_add_test(test_lr_schedule)
dw_add_test(test_early_stopping)
dw_add_test(test_training_history)
if(TARGET dwml_torch)
  dw_add_test(test_grouped_optimizer LIBS dwml_torch TORCH)
  dw_add_test(test_classification_loss LIBS dwml_torch TORCH)
  dw_add_test(test_training_checkpoint LIBS dwml_torch TORCH)
  dw_add_test(test_training_device LIBS dwml_torch TORCH)
  dw_add_test(test_epoch_training LIBS dwml_torch TORCH LABELS ml)
endif()

# The trainer: plugins/imageclass/CMakeLists.txt adds the library; until it does (and in any
# order) the tests bring in what they need themselves.
foreach(part IN ITEMS data models module train)
  if(NOT TARGET dwimageclass_${part} AND EXISTS ${PROJECT_SOURCE_DIR}/plugins/imageclass/${part}/CMakeLists.txt)
    add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/imageclass/${part} ${CMAKE_BINARY_DIR}/imageclass_${part})
  endif()
endforeach()
if(TARGET dwimageclass_train)
  dw_add_test(test_classifier_trainer LIBS dwimageclass_train ${OpenCV_LIBS} TORCH SOURCES shape_images.h)
  dw_add_test(test_classifier_setup LIBS dwimageclass_train ${OpenCV_LIBS} TORCH SOURCES shape_images.h)
endif()
if(TARGET dwimageclass_train)
  dw_add_test(test_classifier_trainer_gpu LIBS dwimageclass_train ${OpenCV_LIBS} TORCH SOURCES shape_images.h LABELS gpu)
  dw_add_benchmark(bench_resnet50_train_gpu LIBS dwimageclass_train TORCH)
  target_compile_definitions(bench_resnet50_train_gpu PRIVATE DW_BENCH_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/bench")
endif()
