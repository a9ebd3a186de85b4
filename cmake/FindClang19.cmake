# Finds LLVM/Clang 19 as Debian packages them (llvm-19-dev, libclang-19-dev) and records the clang
# resource directory so that the built tool resolves clang's builtin headers wherever it runs.
set(THREADCHECK_LLVM_ROOT "/usr/lib/llvm-19" CACHE PATH "Prefix of the LLVM/Clang 19 installation")

find_package(LLVM REQUIRED CONFIG NO_DEFAULT_PATH PATHS "${THREADCHECK_LLVM_ROOT}/lib/cmake/llvm")
find_package(Clang REQUIRED CONFIG NO_DEFAULT_PATH PATHS "${THREADCHECK_LLVM_ROOT}/lib/cmake/clang")
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "threadcheck needs LLVM 19, found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
endif()
message(STATUS "Using LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

find_program(THREADCHECK_CLANG NAMES clang-19 clang HINTS "${LLVM_TOOLS_BINARY_DIR}" REQUIRED)
execute_process(
  COMMAND "${THREADCHECK_CLANG}" -print-resource-dir
  OUTPUT_VARIABLE THREADCHECK_CLANG_RESOURCE_DIR
  OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE resource_dir_status)
if(NOT resource_dir_status EQUAL 0 OR NOT EXISTS "${THREADCHECK_CLANG_RESOURCE_DIR}/include/stddef.h")
  message(FATAL_ERROR "could not find clang's resource directory with ${THREADCHECK_CLANG} -print-resource-dir")
endif()
message(STATUS "Clang resource directory: ${THREADCHECK_CLANG_RESOURCE_DIR}")

# One interface target for everything that uses the Clang C++ API: the shared libclang-cpp and
# libLLVM keep links fast, and LLVM's headers are marked as system headers so our warnings stay ours.
add_library(threadcheck_clang INTERFACE)
target_include_directories(threadcheck_clang SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
target_compile_definitions(threadcheck_clang INTERFACE ${LLVM_DEFINITIONS_LIST})
if(NOT LLVM_ENABLE_RTTI)
  target_compile_options(threadcheck_clang INTERFACE -fno-rtti)
endif()
target_link_libraries(threadcheck_clang INTERFACE clang-cpp LLVM)
