# GUI suites: only when the Widgets library is built (DW_BUILD_GUI). They run under the
# offscreen platform; test_main_window saves screenshots to <build>/screenshots/.
if(TARGET dwui)
  foreach(gui_test IN ITEMS test_main_window test_catalog_workspace test_job_list_model)
    dw_add_test(${gui_test} LIBS dwui LABELS gui SOURCES gui/gui_test_support.cpp gui/gui_test_support.h)
  endforeach()
endif()
