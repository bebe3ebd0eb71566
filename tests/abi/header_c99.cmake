# header_c99: include/kimitsu/kimitsu.h compiles as C99 and as C++11 with
# -pedantic -Werror, and its KIMITSU_CDEF region is readable by cffi.
#
#   cmake -DC_COMPILER=cc -DCXX_COMPILER=c++ -DINCLUDE_DIR=include -DWORK_DIR=dir
#         [-DPYTHON=/usr/bin/python3] [-DLIBRARY=path/libkimitsu.so] -P header_c99.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var C_COMPILER CXX_COMPILER INCLUDE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "header_c99: pass -D${var}=...")
  endif()
endforeach()
if(NOT PYTHON)
  set(PYTHON /usr/bin/python3)
endif()
set(here ${CMAKE_CURRENT_LIST_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(compile what)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "header_c99: the header does not compile as ${what}:\n${cmd}\n${out}${err}")
  endif()
  message(STATUS "header_c99: ${what}: ok")
endfunction()

compile("C99" ${C_COMPILER} -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only
        -I${INCLUDE_DIR} ${here}/header_use.c)
# The same file as C++ (it is plain C, valid C++ too).
configure_file(${here}/header_use.c ${WORK_DIR}/header_use.cc COPYONLY)
compile("C++11" ${CXX_COMPILER} -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only
        -I${INCLUDE_DIR} ${WORK_DIR}/header_use.cc)

# cffi reads the CDEF region (the Python bindings' declarations).
execute_process(COMMAND ${PYTHON} -c "import cffi" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 0)
  message(STATUS "header_c99: cffi check skipped: ${PYTHON} cannot import cffi (install python3-cffi)")
  return()
endif()
execute_process(COMMAND ${PYTHON} ${here}/cdef_check.py ${INCLUDE_DIR}/kimitsu/kimitsu.h ${LIBRARY}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "header_c99: cffi cannot read the KIMITSU_CDEF region:\n${out}${err}")
endif()
message(STATUS "header_c99: ${out}")
