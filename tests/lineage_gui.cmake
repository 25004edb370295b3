# Lineage and comparison (issue 16): the module family, differing settings, and — when the
# Widgets library is built — the family tree under the catalog page, the Compare window and
# the Run History. test_lineage_screenshots saves the three views to DW_SCREENSHOT_DIR
# (scripts/lineage_screenshots.sh runs it under xvfb-run for docs/images).
dw_add_test(test_module_lineage LABELS catalog)
dw_add_test(test_manifest_differences LABELS catalog)
if(TARGET dwui)
  foreach(gui_test IN ITEMS test_lineage_tree test_compare_view test_runs_view test_lineage_screenshots)
    dw_add_test(${gui_test} LIBS dwui LABELS gui
      SOURCES gui/gui_test_support.cpp gui/gui_test_support.h gui/lineage_fixture.h gui/lineage_workspace.h)
  endforeach()
endif()
