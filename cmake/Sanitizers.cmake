# THREADCHECK_SANITIZE=address,undefined (scripts/test-sanitizers.sh): the tool and the unit tests of
# its parts built with AddressSanitizer and UndefinedBehaviorSanitizer. Only the targets passed to
# threadcheck_sanitize() get the flags, never the runtime (runtime/): it is preloaded into, or
# linked with, the programs under test, where a sanitizer's own malloc and pthread interceptors
# would fight with the scheduler's.
set(THREADCHECK_SANITIZE "" CACHE STRING
    "Sanitizers for the tool and its unit tests (the list for -fsanitize=), e.g. address,undefined")

function(threadcheck_sanitize)
  if(NOT THREADCHECK_SANITIZE)
    return()
  endif()
  # Any undefined behaviour is an error, not a line in a log nobody reads.
  set(flags -fsanitize=${THREADCHECK_SANITIZE} -fno-sanitize-recover=undefined
            -fno-omit-frame-pointer)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE ${flags})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_link_options(${target} PRIVATE ${flags})
    else()
      # A static library's code needs the sanitizer runtime in whatever executable links it.
      target_link_options(${target} INTERFACE ${flags})
    endif()
  endforeach()
endfunction()
