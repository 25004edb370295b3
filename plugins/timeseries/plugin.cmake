# The time-series task plugin (libtimeseries.so in build/bin/plugins), made of dwtimeseries.
dw_add_task_plugin(timeseries
  ${CMAKE_CURRENT_SOURCE_DIR}/timeseries_plugin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/timeseries_plugin.h
  ${CMAKE_CURRENT_SOURCE_DIR}/timeseries_arguments.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/timeseries_arguments.h
  ${CMAKE_CURRENT_SOURCE_DIR}/plugin.json)
target_include_directories(timeseries PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(timeseries PRIVATE dwtimeseries)
dw_use_torch(timeseries)
