# CPack: a Debian package of the installed tree (cmake/Install.cmake), built with
#   cmake --build <build> --target package      (or scripts/package.sh)
# Installed under /usr: /usr/bin/threadcheck finds its runtime in /usr/lib.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME threadcheck)
set(CPACK_PACKAGE_VENDOR "threadcheck developers")
set(CPACK_PACKAGE_CONTACT "threadcheck developers <threadcheck@users.noreply.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "concurrency checker for C and C++: static checks and controlled-scheduling exploration")
set(CPACK_PACKAGE_DESCRIPTION
  "threadcheck finds threading bugs in C and C++ programs. 'threadcheck check' is a static\n"
  "analysis of lock, condition-variable and thread-lifecycle misuse over a compile database.\n"
  "'threadcheck run' explores thread interleavings of unmodified programs and GoogleTest binaries\n"
  "under a controlled scheduler and saves failing schedules that 'threadcheck replay' reproduces.\n"
  "The package includes the runtime libraries, headers and a CMake package\n"
  "(find_package(threadcheck CONFIG), threadcheck_discover_tests).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
# The DEB generator installs under /usr by default.
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/threadcheck")
# Shared-library dependencies (libclang-cpp19, libstdc++6, libc6, ...) come from dpkg-shlibdeps,
# except libllvm19: the tool's RUNPATH finds libLLVM through /usr/lib/llvm-19/lib, a symlink that
# llvm-19-dev owns, so dpkg-shlibdeps drops it. What the tool runs or parses at run time is listed
# by hand too: clang's builtin headers for `check`, llvm-symbolizer-19 for stacks.
find_program(THREADCHECK_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(THREADCHECK_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libllvm19, libclang-common-19-dev, llvm-19")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libclang-cpp19, libllvm19, libstdc++6, libgcc-s1, libc6, libclang-common-19-dev, llvm-19")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang-19, cmake (>= 3.24)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgtest-dev")
# `package_source`: the sources without version control or build trees. The patterns are written
# into CPackSourceConfig.cmake and parsed again, hence the doubled escape.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "__pycache__" "/threadcheck-schedules/")
include(CPack)
