# Image classification in the workbench (ui/training, ui/imageclass): forms from schemas,
# prediction by drop, evaluation views, training from the GUI. Only with the Widgets library;
# the suites that train or predict need the imageclass plugin (and write tiny datasets with
# OpenCV, as the other imageclass suites do).
if(TARGET dwui)
  dw_add_test(test_schema_form LIBS dwui LABELS gui)
  dw_add_test(test_evaluation_view LIBS dwui LABELS gui)
  if(TARGET imageclass)
    foreach(gui_test IN ITEMS test_classify_workspace test_training_workspace)
      dw_add_test(${gui_test} LIBS dwui ${OpenCV_LIBS} LABELS gui imageclass
                  SOURCES gui/gui_test_support.cpp gui/gui_test_support.h)
      target_compile_definitions(${gui_test} PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}")
      add_dependencies(${gui_test} imageclass)
      set_tests_properties(${gui_test} PROPERTIES TIMEOUT 120)
    endforeach()
    # PyTorch files dropped on the window (models made by Debian's python3-torch).
    dw_add_test(test_import_torch_files LIBS dwui ${OpenCV_LIBS} LABELS gui imageclass
                SOURCES gui/gui_test_support.cpp gui/gui_test_support.h)
    target_compile_definitions(test_import_torch_files PRIVATE DW_PLUGIN_DIR="${DW_PLUGIN_OUTPUT_DIR}"
      DW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    add_dependencies(test_import_torch_files imageclass)
    set_tests_properties(test_import_torch_files PROPERTIES TIMEOUT 300)
  endif()
endif()
