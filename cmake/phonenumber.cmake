# libphonenumber ships neither a CMake package nor a pkg-config file on
# Debian: find it by hand as the imported target kimitsu_phonenumber (used
# by the build and by the installed CMake package alike).
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h)
find_library(PHONENUMBER_LIBRARY phonenumber)
find_package(Protobuf QUIET)
set(PHONENUMBER_FOUND FALSE)
if(PHONENUMBER_INCLUDE_DIR AND PHONENUMBER_LIBRARY AND Protobuf_FOUND)
  set(PHONENUMBER_FOUND TRUE)
  if(NOT TARGET kimitsu_phonenumber)
    add_library(kimitsu_phonenumber INTERFACE IMPORTED)
    target_include_directories(kimitsu_phonenumber INTERFACE ${PHONENUMBER_INCLUDE_DIR} ${Protobuf_INCLUDE_DIRS})
    target_link_libraries(kimitsu_phonenumber INTERFACE ${PHONENUMBER_LIBRARY} ${Protobuf_LIBRARIES})
  endif()
endif()
