# Build-time half of threadcheck_discover_tests() (threadcheckTesting.cmake): lists the GoogleTest
# tests of a freshly linked executable and writes the CTest file registering one explored test per
# GoogleTest test. Run as `cmake -D TC_PARAMS_FILE=<file> -P threadcheckDiscoverTests.cmake`.
cmake_minimum_required(VERSION 3.24)
include("${TC_PARAMS_FILE}")

execute_process(
  COMMAND "${TC_TOOL}" run --gtest --list-tests -- "${TC_TEST_EXECUTABLE}" ${TC_EXTRA_ARGS}
  WORKING_DIRECTORY "${TC_WORKING_DIRECTORY}"
  TIMEOUT ${TC_DISCOVERY_TIMEOUT}
  OUTPUT_VARIABLE listed
  ERROR_VARIABLE errors
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE "${TC_TESTS_FILE}")
  message(FATAL_ERROR "threadcheck_discover_tests(${TC_TARGET}): listing the tests of "
                      "${TC_TEST_EXECUTABLE} failed (${status}):\n${errors}")
endif()

# Bracket arguments keep every character of names and arguments as it is.
function(bracket out)
  set(text "")
  foreach(value IN LISTS ARGN)
    string(APPEND text " [==[${value}]==]")
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

bracket(run_args ${TC_RUN_ARGS})
bracket(extra_args ${TC_EXTRA_ARGS})
bracket(properties ${TC_PROPERTIES})
bracket(tool "${TC_TOOL}")
bracket(executable "${TC_TEST_EXECUTABLE}")
bracket(workdir "${TC_WORKING_DIRECTORY}")
set(content "# Written by threadcheck_discover_tests(${TC_TARGET}); rewritten on every build.\n")
string(REPLACE "\n" ";" lines "${listed}")
foreach(test IN LISTS lines)
  if(test STREQUAL "")
    continue()
  endif()
  bracket(name "${TC_TEST_PREFIX}${test}${TC_TEST_SUFFIX}")
  bracket(filter "--gtest_filter=${test}")
  string(APPEND content
    "add_test(${name}${tool} run --gtest${run_args} --${executable}${extra_args}${filter})\n"
    "set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY${workdir}${properties})\n")
endforeach()
file(WRITE "${TC_TESTS_FILE}" "${content}")
