# The super-resolution task plugin (libsuperres.so in build/bin/plugins), made of dwsuperres.
dw_add_task_plugin(superres
  ${CMAKE_CURRENT_SOURCE_DIR}/superres_plugin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/superres_plugin.h
  ${CMAKE_CURRENT_SOURCE_DIR}/superres_arguments.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/superres_arguments.h
  ${CMAKE_CURRENT_SOURCE_DIR}/plugin.json)
target_include_directories(superres PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(superres PRIVATE dwsuperres)
dw_use_torch(superres)
