# `make package`: a .deb with the GUI, the CLI, the plugins, a desktop entry, an icon and
# AppStream metadata. Runtime dependencies are computed by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME deep-workbench)
set(CPACK_PACKAGE_VENDOR "DEEP Workbench developers")
set(CPACK_PACKAGE_CONTACT "DEEP Workbench developers <deep-workbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")

install(FILES ${PROJECT_SOURCE_DIR}/packaging/deep-workbench.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/org.deephdc.workbench.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/deep-workbench.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps OPTIONAL)
# The README and docs/ (Help › Documentation opens the README from here).
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/deep-workbench)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/deep-workbench/docs)
include(CPack)
