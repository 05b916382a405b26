# hearth_module(): declares one hearth library and enforces the layering rules of DEVELOPERS.md.
#
# Every folder is one library. The table below is the only place that says which hearth library
# may link which; hearth_check_layering() (called once at the end of the top-level CMakeLists.txt)
# reads the real link lists of every hearth_* target and stops the configure step on a link that
# goes the wrong way, however it was added.

# Allowed hearth dependencies per module. hearth_base (header-only vocabulary types) is allowed
# everywhere; everything else flows one way: engine -> nothing; nlu -> engine; devices -> storage
# (its durable command outbox); storage, audio -> nothing of ours; ui and app -> anything.
set(HEARTH_ALLOWED_DEPS_hearth_base    "")
set(HEARTH_ALLOWED_DEPS_hearth_engine  "hearth_base")
set(HEARTH_ALLOWED_DEPS_hearth_nlu     "hearth_base;hearth_engine")
set(HEARTH_ALLOWED_DEPS_hearth_devices "hearth_base;hearth_storage")
set(HEARTH_ALLOWED_DEPS_hearth_storage "hearth_base")
set(HEARTH_ALLOWED_DEPS_hearth_audio   "hearth_base")
set(HEARTH_ALLOWED_DEPS_hearth_ui      "hearth_base;hearth_engine;hearth_nlu;hearth_devices;hearth_storage;hearth_audio")
set(HEARTH_ALLOWED_DEPS_hearth_app     "hearth_base;hearth_engine;hearth_nlu;hearth_devices;hearth_storage;hearth_audio;hearth_ui")

set_property(GLOBAL PROPERTY HEARTH_MODULES "")

# hearth_module(NAME <target> [SOURCES ...] [DEPS ...] [PRIVATE_DEPS ...])
# Creates a static library with include/ public and src/ private.
function(hearth_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT DEFINED HEARTH_ALLOWED_DEPS_${M_NAME})
    message(FATAL_ERROR "hearth_module: '${M_NAME}' is not a known hearth module; add it to cmake/HearthModule.cmake")
  endif()
  if(M_SOURCES)
    add_library(${M_NAME} STATIC ${M_SOURCES})
    target_include_directories(${M_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                         PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
    hearth_target_flags(${M_NAME})
  else()
    add_library(${M_NAME} INTERFACE)
    target_include_directories(${M_NAME} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${M_NAME} INTERFACE ${M_DEPS})
  endif()
  set_property(GLOBAL APPEND PROPERTY HEARTH_MODULES ${M_NAME})
endfunction()

# Fails the configure step when any hearth module links a hearth module it may not use.
function(hearth_check_layering)
  get_property(modules GLOBAL PROPERTY HEARTH_MODULES)
  foreach(m IN LISTS modules)
    get_target_property(type ${m} TYPE)
    set(links "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(l ${m} LINK_LIBRARIES)
      if(l)
        list(APPEND links ${l})
      endif()
    endif()
    get_target_property(il ${m} INTERFACE_LINK_LIBRARIES)
    if(il)
      list(APPEND links ${il})
    endif()
    foreach(dep IN LISTS links)
      # Strip generator expressions such as $<LINK_ONLY:x>.
      string(REGEX REPLACE "^\\$<[A-Z_]+:(.*)>$" "\\1" dep "${dep}")
      if(dep MATCHES "^hearth_" AND NOT dep IN_LIST HEARTH_ALLOWED_DEPS_${m})
        message(FATAL_ERROR "layering: ${m} may not link ${dep} "
                            "(allowed: ${HEARTH_ALLOWED_DEPS_${m}}); see DEVELOPERS.md")
      endif()
    endforeach()
  endforeach()
endfunction()
