# The image classification task plugin (libimageclass.so in build/bin/plugins), made of
# the static libraries of its parts (built once those exist).
if(NOT TARGET dwimageclass_train OR NOT TARGET dwimageclass_infer
   OR NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/train/classifier_trainer.h)
  message(STATUS "imageclass plugin: waiting for dwimageclass_train and dwimageclass_infer")
  return()
endif()
dw_add_task_plugin(imageclass
  ${CMAKE_CURRENT_SOURCE_DIR}/imageclass_plugin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/imageclass_plugin.h
  ${CMAKE_CURRENT_SOURCE_DIR}/imageclass_arguments.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/imageclass_arguments.h
  ${CMAKE_CURRENT_SOURCE_DIR}/classifier_cache.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/classifier_cache.h
  ${CMAKE_CURRENT_SOURCE_DIR}/plugin.json)
target_include_directories(imageclass PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(imageclass PRIVATE dwimageclass_train dwimageclass_infer dwimageclass_export)
dw_use_torch(imageclass)
