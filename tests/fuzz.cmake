# The libFuzzer targets of tests/fuzz are built with clang in a folder of their own
# (make fuzz-build, which make test runs first). Here each replays its seed corpus, findings
# included, then fuzzes for DW_FUZZ_SECONDS. Without the build they are skipped (exit 77).
set(DW_FUZZ_BUILD_DIR "${PROJECT_SOURCE_DIR}/build-fuzz" CACHE PATH "folder of make fuzz-build")
set(DW_FUZZ_SECONDS 30 CACHE STRING "seconds each fuzz target runs under ctest")
file(GLOB dw_fuzz_targets CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/targets/fuzz_*.cpp)
foreach(source IN LISTS dw_fuzz_targets)
  get_filename_component(name ${source} NAME_WE)
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh ${DW_FUZZ_BUILD_DIR} ${DW_FUZZ_SECONDS} ${name})
  set_tests_properties(${name} PROPERTIES LABELS fuzz SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "FUZZ_JOBS=1")
endforeach()

# What the fuzzers found, pinned by ordinary tests in this build.
dw_add_test(test_fuzz_findings LIBS dwimageclass_data LABELS fuzz)
