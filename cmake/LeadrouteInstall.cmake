# Install rules, the CMake package config and leadroute.pc.
include(CMakePackageConfigHelpers)

# Read by leadrouteConfig.cmake: a static library needs its private
# dependencies found by the consumer too.
if(BUILD_SHARED_LIBS)
  set(LEADROUTE_CONFIG_SHARED ON)
else()
  set(LEADROUTE_CONFIG_SHARED OFF)
endif()

install(TARGETS leadroute
  EXPORT leadrouteTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/leadroute
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

set(LEADROUTE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/leadroute)
install(EXPORT leadrouteTargets
  NAMESPACE leadroute::
  DESTINATION ${LEADROUTE_CMAKE_DIR})
export(EXPORT leadrouteTargets
  NAMESPACE leadroute::
  FILE ${CMAKE_CURRENT_BINARY_DIR}/leadrouteTargets.cmake)

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/leadrouteConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/leadrouteConfig.cmake
  INSTALL_DESTINATION ${LEADROUTE_CMAKE_DIR})
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/leadrouteConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/leadrouteConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/leadrouteConfigVersion.cmake
  DESTINATION ${LEADROUTE_CMAKE_DIR})

# pkg-config: a static build must also name the private dependencies.
if(BUILD_SHARED_LIBS)
  set(LEADROUTE_PC_LIBS_PRIVATE "")
  set(LEADROUTE_PC_REQUIRES_PRIVATE "")
else()
  set(LEADROUTE_PC_LIBS_PRIVATE "-ldate-tz -lpthread")
  set(LEADROUTE_PC_REQUIRES_PRIVATE "fmt, spdlog")
endif()
if(BUILD_SHARED_LIBS)
  set(LEADROUTE_PC_CFLAGS "-DLEADROUTE_SHARED_LIBRARY")
else()
  set(LEADROUTE_PC_CFLAGS "")
endif()
# The .pc file finds its prefix relative to itself, so an install moved
# with `cmake --install --prefix` still works.
file(RELATIVE_PATH LEADROUTE_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/leadroute.pc.in
  ${CMAKE_CURRENT_BINARY_DIR}/leadroute.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/leadroute.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
