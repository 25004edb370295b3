# `make package`: a .deb with the GUI, the CLI, the plugins, a desktop entry, an icon, AppStream
# metadata, the .dwm MIME type, manual pages, a changelog and a copyright file. Runtime
# dependencies are computed by dpkg-shlibdeps. tests/packaging checks it with lintian and runs
# the programs from an unpacked copy.
set(DW_PACKAGE_CONTACT "DEEP Workbench developers <deep-workbench@example.org>"
  CACHE STRING "Maintainer field of the .deb (and of its changelog)")

set(CPACK_PACKAGE_NAME deep-workbench)
set(CPACK_PACKAGE_VENDOR "DEEP Workbench developers")
set(CPACK_PACKAGE_CONTACT "${DW_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The extended description (the summary line comes from CPACK_PACKAGE_DESCRIPTION_SUMMARY).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "DEEP Workbench brings the DEEP-Hybrid-DataCloud platform to the desktop: a
local catalog of model modules, image classification by drag and drop,
super-resolution of satellite rasters, time-series forecasting with real-time
alerts, and training and re-training (transfer learning) on the CPU or a CUDA
GPU with LibTorch.

The package holds the Qt 6 application (deep-workbench), the command line
(deepwb) with a DEEPaaS-compatible REST server (deepwb serve), the
image-classification, super-resolution and time-series task plugins, and
three small trained demo modules with sample inputs.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
# Debian ships no unstripped binaries (lintian: unstripped-binary-or-object).
set(CPACK_STRIP_FILES ON)

set(DW_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/deep-workbench)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/deep-workbench.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/org.deephdc.workbench.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/deep-workbench.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps OPTIONAL)
# Module archives (.dwm) as a MIME type of their own, shown with the application's icon; the
# desktop entry opens them (MimeType=), and deep-workbench FILE.dwm imports the module.
# shared-mime-info's and desktop-file-utils' dpkg triggers update the caches on install.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/deep-workbench-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
  RENAME deep-workbench.xml)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/deep-workbench.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/mimetypes RENAME application-x-deep-workbench-module.svg)
# The README and docs/ (Help › Documentation opens the README from here).
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${DW_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${DW_DOC_DIR}/docs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${DW_DOC_DIR})

# Debian wants the changelog and the manual pages compressed with gzip -9n (no name, no
# time stamp, so that the package is reproducible).
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
set(dw_gzipped)
foreach(source IN ITEMS ${CMAKE_BINARY_DIR}/packaging/changelog ${PROJECT_SOURCE_DIR}/packaging/deepwb.1
    ${PROJECT_SOURCE_DIR}/packaging/deep-workbench.1)
  get_filename_component(name ${source} NAME)
  set(gz ${CMAKE_BINARY_DIR}/packaging/${name}.gz)
  add_custom_command(OUTPUT ${gz} COMMAND sh -c "gzip -9nc '${source}' > '${gz}'" DEPENDS ${source} VERBATIM)
  list(APPEND dw_gzipped ${gz})
endforeach()
add_custom_target(dw_package_files ALL DEPENDS ${dw_gzipped})
install(FILES ${CMAKE_BINARY_DIR}/packaging/changelog.gz DESTINATION ${DW_DOC_DIR})
install(FILES ${CMAKE_BINARY_DIR}/packaging/deepwb.1.gz ${CMAKE_BINARY_DIR}/packaging/deep-workbench.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
include(CPack)
