# Image reading (core/io) and the image classification data pipeline (plugins/imageclass/data).
if(NOT TARGET dwimageclass_data)
  add_subdirectory(${PROJECT_SOURCE_DIR}/plugins/imageclass/data ${CMAKE_BINARY_DIR}/imageclass_data)
endif()

dw_add_test(test_image_reader LIBS ${OpenCV_LIBS} GDAL::GDAL)
dw_add_benchmark(bench_image_decode LIBS GDAL::GDAL)
dw_add_test(test_image_dataset LIBS dwimageclass_data)
dw_add_test(test_augmentation LIBS dwimageclass_data)
dw_add_test(test_batch_loader LIBS dwimageclass_data TORCH)
