# threadcheck_discover_tests(): CTest tests that explore each GoogleTest test of an executable with
# `threadcheck run`, in the spirit of CMake's gtest_discover_tests().
#
#   threadcheck_discover_tests(<target>
#     [ITERATIONS <n>] [STRATEGY random|pct|pos|dfs] [SEED <n>] [TIME_BUDGET <seconds>]
#     [RUN_ARGS <threadcheck run option>...]   e.g. --jobs=2 --keep-going
#     [EXTRA_ARGS <test argument>...]          passed to the test binary (a --gtest_filter here
#                                              selects which tests are registered)
#     [TEST_PREFIX <p>] [TEST_SUFFIX <s>]      CTest name: <p>Suite.Name<s>
#     [WORKING_DIRECTORY <dir>]                default: the current binary directory
#     [OUTPUT_DIR <dir>]                       schedule files (default
#                                              <binary dir>/threadcheck-schedules/<target>)
#     [DISCOVERY_TIMEOUT <seconds>]            for listing the tests (default 60)
#     [DISCOVERY_MODE POST_BUILD|PRE_TEST]     when the tests are listed (default
#                                              CMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE, else
#                                              POST_BUILD)
#     [PROPERTIES <name> <value>...])          set on every registered test
#
# After <target> is linked (POST_BUILD), or when ctest runs and the executable is newer than the
# last listing (PRE_TEST: for cross-compiling, or executables that cannot run at build time), its
# tests are listed (`threadcheck run --gtest --list-tests`, which skips DISABLED_ tests) and one
# CTest test per GoogleTest test is written:
#   threadcheck run --gtest [options] -- <binary> [EXTRA_ARGS] --gtest_filter=Suite.Name
# It fails (exit status 1) with the finding, the saved schedule and the replay command when an
# exploration finds a bug. Binaries whose tests use TC_TEST explore in-process and are ordinary
# GoogleTest binaries: register them with plain gtest_discover_tests().
include_guard(GLOBAL)

set(_THREADCHECK_DISCOVER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/threadcheckDiscoverTests.cmake")

# Writes `set(<var> [==[a]==] [==[b]==] ...)`: values survive any character but "]==]".
function(_threadcheck_set_line out var)
  set(line "set(${var}")
  foreach(value IN LISTS ARGN)
    string(APPEND line " [==[${value}]==]")
  endforeach()
  set(${out} "${${out}}${line})\n" PARENT_SCOPE)
endfunction()

function(threadcheck_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "ITERATIONS;STRATEGY;SEED;TIME_BUDGET;TEST_PREFIX;TEST_SUFFIX;WORKING_DIRECTORY;OUTPUT_DIR;DISCOVERY_TIMEOUT;DISCOVERY_MODE"
    "EXTRA_ARGS;RUN_ARGS;PROPERTIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "threadcheck_discover_tests: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "threadcheck_discover_tests: '${target}' is not a target")
  endif()
  get_property(type TARGET ${target} PROPERTY TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "threadcheck_discover_tests: '${target}' is not an executable")
  endif()
  if(NOT TARGET threadcheck::threadcheck)
    message(FATAL_ERROR "threadcheck_discover_tests: no threadcheck::threadcheck target "
                        "(find_package(threadcheck CONFIG REQUIRED) first)")
  endif()
  set(tool "$<TARGET_FILE:threadcheck::threadcheck>")

  # Checked here so that a typo fails at configure time, not in every test.
  set(run_args "")
  foreach(option ITERATIONS STRATEGY SEED TIME_BUDGET)
    if(NOT DEFINED arg_${option})
      continue()
    endif()
    set(value "${arg_${option}}")
    if(option STREQUAL "ITERATIONS" AND NOT value MATCHES "^[1-9][0-9]*$")
      set(problem "a positive integer")
    elseif(option STREQUAL "STRATEGY" AND NOT value MATCHES "^(random|pct|pos|dfs)$")
      set(problem "random, pct, pos or dfs")
    elseif(option STREQUAL "SEED" AND NOT value MATCHES "^[0-9]+$")
      set(problem "a non-negative integer")
    elseif(option STREQUAL "TIME_BUDGET" AND NOT value MATCHES "^[0-9]+(\\.[0-9]*)?$")
      set(problem "a number of seconds")
    else()
      string(TOLOWER "${option}" flag)
      string(REPLACE "_" "-" flag "${flag}")
      list(APPEND run_args "--${flag}=${value}")
      continue()
    endif()
    message(FATAL_ERROR "threadcheck_discover_tests: ${option} must be ${problem}, not '${value}'")
  endforeach()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/threadcheck-schedules/${target}")
  endif()
  list(APPEND run_args "--output-dir=${arg_OUTPUT_DIR}" ${arg_RUN_ARGS})
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 60)
  endif()
  if(NOT arg_DISCOVERY_MODE)
    set(arg_DISCOVERY_MODE "${CMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE}")
  endif()
  if(NOT arg_DISCOVERY_MODE)
    set(arg_DISCOVERY_MODE POST_BUILD)
  endif()
  if(NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "threadcheck_discover_tests: DISCOVERY_MODE must be POST_BUILD or "
                        "PRE_TEST, not '${arg_DISCOVERY_MODE}'")
  endif()

  # A target may be registered more than once (other options, another prefix): each call has its
  # own files.
  get_property(calls TARGET ${target} PROPERTY _THREADCHECK_DISCOVER_CALLS)
  if(NOT calls)
    set(calls 0)
  endif()
  math(EXPR calls "${calls} + 1")
  set_property(TARGET ${target} PROPERTY _THREADCHECK_DISCOVER_CALLS ${calls})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}_threadcheck")
  if(calls GREATER 1)
    string(APPEND base "${calls}")
  endif()
  get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi)
    set(tests_file "${base}_tests-$<CONFIG>.cmake")
    set(params_file "${base}_params-$<CONFIG>.cmake")
    set(include_tests "${base}_tests-\${CTEST_CONFIGURATION_TYPE}.cmake")
    set(include_params "${base}_params-\${CTEST_CONFIGURATION_TYPE}.cmake")
  else()
    set(tests_file "${base}_tests.cmake")
    set(params_file "${base}_params.cmake")
    set(include_tests "${tests_file}")
    set(include_params "${params_file}")
  endif()

  # The parameters go through a file (not -D) so that arguments keep their semicolons and quotes.
  set(params "")
  _threadcheck_set_line(params TC_TOOL "${tool}")
  _threadcheck_set_line(params TC_TEST_EXECUTABLE "$<TARGET_FILE:${target}>")
  _threadcheck_set_line(params TC_TARGET "${target}")
  _threadcheck_set_line(params TC_TESTS_FILE "${tests_file}")
  _threadcheck_set_line(params TC_RUN_ARGS ${run_args})
  _threadcheck_set_line(params TC_EXTRA_ARGS ${arg_EXTRA_ARGS})
  _threadcheck_set_line(params TC_TEST_PREFIX "${arg_TEST_PREFIX}")
  _threadcheck_set_line(params TC_TEST_SUFFIX "${arg_TEST_SUFFIX}")
  _threadcheck_set_line(params TC_WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
  _threadcheck_set_line(params TC_DISCOVERY_TIMEOUT "${arg_DISCOVERY_TIMEOUT}")
  _threadcheck_set_line(params TC_PROPERTIES ${arg_PROPERTIES})
  file(GENERATE OUTPUT "${params_file}" CONTENT "${params}")

  set(ctest_include "${base}_include.cmake")
  if(arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    add_custom_command(TARGET ${target} POST_BUILD
      BYPRODUCTS "${tests_file}"
      COMMAND "${CMAKE_COMMAND}" -D "TC_PARAMS_FILE=${params_file}" -P "${_THREADCHECK_DISCOVER_SCRIPT}"
      COMMENT "Listing the GoogleTest tests of ${target} for threadcheck"
      VERBATIM)
    file(WRITE "${ctest_include}" "")
  else()
    # Runs inside ctest: lists the tests again when the executable changed since the last listing.
    file(WRITE "${ctest_include}"
      "include(\"${include_params}\" OPTIONAL RESULT_VARIABLE tc_params)\n"
      "if(tc_params AND EXISTS \"\${TC_TEST_EXECUTABLE}\" AND (NOT EXISTS \"${include_tests}\" OR\n"
      "   \"\${TC_TEST_EXECUTABLE}\" IS_NEWER_THAN \"${include_tests}\"))\n"
      "  execute_process(COMMAND \"${CMAKE_COMMAND}\" -D \"TC_PARAMS_FILE=${include_params}\"\n"
      "                  -P \"${_THREADCHECK_DISCOVER_SCRIPT}\" RESULT_VARIABLE tc_status\n"
      "                  ERROR_VARIABLE tc_errors)\n"
      "  if(NOT tc_status EQUAL 0)\n"
      "    message(WARNING \"\${tc_errors}\")\n"
      "  endif()\n"
      "endif()\n")
  endif()
  file(APPEND "${ctest_include}"
    "if(EXISTS \"${include_tests}\")\n"
    "  include(\"${include_tests}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${ctest_include}")
endfunction()
