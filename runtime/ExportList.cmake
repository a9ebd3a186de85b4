# cmake -DNM=<nm> -DLIBRARY=<libthreadcheck_rt.so> -DOUTPUT=<file> -P ExportList.cmake
#
# Writes the linker's dynamic list (--dynamic-list) for executables with the runtime linked in:
# the C symbols the shared runtime exports (interceptors, __tsan_* entry points, the runtime's own
# C interface) and the instrumented-program mark. The executable exports exactly these, so its
# interceptors win symbol resolution and instrumented shared libraries reach its __tsan_* entry
# points; its C++ symbols stay local and never alias a preloaded runtime's.
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE listing
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D ${LIBRARY} failed")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(out "{\n  __threadcheck_instrumented_program;\n")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-fA-F]* +[A-Za-z] +([A-Za-z_][A-Za-z0-9_]*)$")
    set(name ${CMAKE_MATCH_1})
    if(NOT name MATCHES "^_Z" AND NOT name MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
      string(APPEND out "  ${name};\n")
    endif()
  endif()
endforeach()
string(APPEND out "};\n")
# Written only when it changes, so that programs linked with it are not relinked for nothing.
file(CONFIGURE OUTPUT ${OUTPUT} CONTENT "${out}" @ONLY)
