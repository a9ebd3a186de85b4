# `cmake --install`: the tool, the runtime libraries and headers, the CMake package that
# find_package(threadcheck CONFIG) loads, and the documentation. The layout is fixed relative to the
# prefix (bin/, lib/, include/), because the tool finds its runtime at ../lib next to itself.
include(CMakePackageConfigHelpers)

set(THREADCHECK_INSTALL_CMAKEDIR lib/cmake/threadcheck)

# The installed tool keeps LLVM's library directory in its RUNPATH (libclang-cpp and libLLVM live
# in /usr/lib/llvm-19/lib); every other build-tree path is dropped.
set_target_properties(threadcheck PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
install(TARGETS threadcheck EXPORT threadcheckTargets RUNTIME DESTINATION bin)

# threadcheck::rt_shared is the preload library (what `threadcheck run` uses); consumers rarely link
# it, but its location is useful (THREADCHECK_RUNTIME, LD_PRELOAD in custom launchers).
set_target_properties(threadcheck_rt PROPERTIES EXPORT_NAME rt_shared)
install(TARGETS threadcheck_rt EXPORT threadcheckTargets LIBRARY DESTINATION lib)
# What `threadcheck cc` links into instrumented executables, found beside the preload library.
install(FILES ${CMAKE_BINARY_DIR}/lib/libthreadcheck_rt_instrumented.a
              ${CMAKE_BINARY_DIR}/lib/libthreadcheck_rt_instrumented.exports DESTINATION lib)
set_target_properties(threadcheck_rt_static PROPERTIES EXPORT_NAME rt_static)
install(TARGETS threadcheck_rt_static EXPORT threadcheckTargets ARCHIVE DESTINATION lib)
if(TARGET threadcheck_runtime)
  set_target_properties(threadcheck_runtime PROPERTIES EXPORT_NAME runtime)
  install(TARGETS threadcheck_runtime EXPORT threadcheckTargets)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/threadcheck DESTINATION include
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(EXPORT threadcheckTargets NAMESPACE threadcheck:: DESTINATION ${THREADCHECK_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/threadcheckConfig.cmake.in
  ${CMAKE_BINARY_DIR}/package/threadcheckConfig.cmake
  INSTALL_DESTINATION ${THREADCHECK_INSTALL_CMAKEDIR})
# 0.x: a minor release may change the package's interface.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/threadcheckConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_BINARY_DIR}/package/threadcheckConfig.cmake
  ${CMAKE_BINARY_DIR}/package/threadcheckConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/threadcheckTesting.cmake
  ${CMAKE_CURRENT_LIST_DIR}/threadcheckDiscoverTests.cmake
  DESTINATION ${THREADCHECK_INSTALL_CMAKEDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/doc/threadcheck)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/threadcheck)
