# install_consumer: installs the build into a fresh prefix, then builds
# examples/c against the installed files alone, two ways — as a standalone
# CMake project (find_package(kimitsu) -> kimitsu::kimitsu) and with a bare
# compiler command from pkg-config — and runs both on a corpus file.
#
#   cmake -DBUILD_DIR=build -DSOURCE_DIR=. -DLIBDIR=lib -DWORK_DIR=dir
#         -DC_COMPILER=cc -DCORPUS_FILE=file [-DCONFIG=Release] [-DSANITIZE=address,undefined]
#         -P install_consumer.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR SOURCE_DIR LIBDIR WORK_DIR C_COMPILER CORPUS_FILE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_consumer: pass -D${var}=...")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "install_consumer: ${what} failed (${rc}):\n${cmd}\n${out}${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
set(config_args "")
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})
foreach(f include/kimitsu/kimitsu.h ${LIBDIR}/libkimitsu.so.0 ${LIBDIR}/libkimitsu.a
          ${LIBDIR}/cmake/kimitsu/kimitsuConfig.cmake ${LIBDIR}/cmake/kimitsu/kimitsuConfigVersion.cmake
          ${LIBDIR}/pkgconfig/kimitsu.pc)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install_consumer: the install lacks ${f}")
  endif()
endforeach()

set(san_flags "")
if(SANITIZE)
  set(san_flags -fsanitize=${SANITIZE} -fno-omit-frame-pointer)
endif()
string(REPLACE ";" " " san_flags_text "${san_flags}")

# 2. The standalone CMake project, finding the package in the prefix only.
run("configuring examples/c"
    ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/c -B ${WORK_DIR}/cmake-build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_C_FLAGS=${san_flags_text}" "-DCMAKE_EXE_LINKER_FLAGS=${san_flags_text}")
file(READ ${WORK_DIR}/cmake-build/CMakeCache.txt cache)
if(NOT cache MATCHES "kimitsu_DIR:PATH=([^\n]*)")
  message(FATAL_ERROR "install_consumer: examples/c did not record kimitsu_DIR")
endif()
file(REAL_PATH "${CMAKE_MATCH_1}" found_dir)
file(REAL_PATH "${prefix}/${LIBDIR}/cmake/kimitsu" want_dir)
if(NOT found_dir STREQUAL want_dir)
  message(FATAL_ERROR "install_consumer: find_package(kimitsu) found ${found_dir}, not ${want_dir}")
endif()
run("building examples/c" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
set(cmake_binary ${WORK_DIR}/cmake-build/kimitsu_scan)

# 3. A bare compiler command with the flags pkg-config gives.
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
run("pkg-config" ${PKG_CONFIG} --cflags --libs kimitsu)
string(STRIP "${run_output}" pc_flags_text)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags_text}")
# The flags must point into the prefix (a .pc file may spell it
# ${pcfiledir}/../.., so compare real paths).
file(REAL_PATH "${prefix}/include" want_include)
file(REAL_PATH "${prefix}/${LIBDIR}" want_lib)
set(include_ok FALSE)
set(lib_ok FALSE)
foreach(flag IN LISTS pc_flags)
  if(NOT flag MATCHES "^-([IL])(.+)$")
    continue()
  endif()
  set(kind "${CMAKE_MATCH_1}")
  file(REAL_PATH "${CMAKE_MATCH_2}" dir)
  if(kind STREQUAL "I" AND dir STREQUAL want_include)
    set(include_ok TRUE)
  elseif(kind STREQUAL "L" AND dir STREQUAL want_lib)
    set(lib_ok TRUE)
  endif()
endforeach()
if(NOT include_ok OR NOT lib_ok)
  message(FATAL_ERROR "install_consumer: pkg-config gives '${pc_flags_text}', which does not point into the "
                      "install prefix ${prefix}: kimitsu.pc is not relocatable (cmake --install --prefix)")
endif()
set(pc_binary ${WORK_DIR}/kimitsu_scan_pc)
run("compiling with pkg-config flags"
    ${C_COMPILER} -std=c99 -Wall -Werror -pedantic ${san_flags} ${SOURCE_DIR}/examples/c/kimitsu_scan.c
    -o ${pc_binary} ${pc_flags})

# 4. Both run against the installed library and print a tier.
set(n 0)
foreach(binary ${cmake_binary} ${pc_binary})
  run("running ${binary}" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/${LIBDIR} ${binary} ${CORPUS_FILE})
  if(NOT run_output MATCHES "\n  tier: +[a-z_]+\n")
    message(FATAL_ERROR "install_consumer: ${binary} printed no tier:\n${run_output}")
  endif()
  math(EXPR n "${n} + 1")
  set(output_${n} "${run_output}")
endforeach()
if(NOT output_1 STREQUAL output_2)
  message(FATAL_ERROR "install_consumer: the two builds disagree:\n${output_1}\n---\n${output_2}")
endif()
string(REGEX MATCH "tier: +[a-z_]+" tier "${output_1}")
message(STATUS "install_consumer: both consumers built from ${prefix} and report ${tier}")
