# The catalogue (instance types, prices, disk and storage prices, OS images) lives in JSON files under
# data/catalog/ and is compiled into plan_core, so the browser has it offline and native and wasm builds
# read the very same bytes. Pure CMake: no Python or xxd on the build machine.
#
# Each file is checked here with string(JSON): a malformed file or one missing its required keys stops the
# configure step (and therefore the build) with the file's name. The text is embedded as raw string
# literals of at most CS_CATALOG_CHUNK bytes each (compilers limit single literals; 16 KB keeps every one happy),
# joined at run time.
set(CS_CATALOG_DELIM "cs_catalog_json")

# Stops with a message naming `name` unless `text` is a JSON object with the keys the loader needs.
function(cs_catalog_check name text)
  # Well-formed JSON with the keys the loader relies on; the error names the file and the problem.
  string(JSON root_type ERROR_VARIABLE json_error TYPE "${text}")
  if(json_error OR NOT root_type STREQUAL "OBJECT")
    message(FATAL_ERROR "catalog: ${name} is not a JSON object: ${json_error}")
  endif()
  if(name MATCHES "^(aws_instances|azure_sizes|gcp_machine_types)\\.json$")
    set(required cloud prices_as_of source regions instances)
  elseif(name STREQUAL "storage_prices.json")
    set(required prices_as_of source clouds)
  else()
    set(required aws azure gcp)
  endif()
  foreach(key IN LISTS required)
    string(JSON ignored ERROR_VARIABLE json_error GET "${text}" "${key}")
    if(json_error)
      message(FATAL_ERROR "catalog: ${name} has no \"${key}\": ${json_error}")
    endif()
  endforeach()
  string(FIND "${text}" ")${CS_CATALOG_DELIM}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "catalog: ${name} contains the raw-string delimiter ${CS_CATALOG_DELIM}")
  endif()
endfunction()

# `cmake -DCS_CATALOG_CHECK_FILE=<file.json> -P catalog.cmake` checks one file and exits: ctest uses it to
# prove that a malformed file stops the build.
if(CMAKE_SCRIPT_MODE_FILE)
  get_filename_component(name "${CS_CATALOG_CHECK_FILE}" NAME)
  file(READ "${CS_CATALOG_CHECK_FILE}" text)
  cs_catalog_check("${name}" "${text}")
  message(STATUS "catalog: ${name} is well-formed")
  return()
endif()

set(CS_CATALOG_DIR "${CMAKE_CURRENT_SOURCE_DIR}/data/catalog")
set(CS_CATALOG_FILES aws_instances.json azure_sizes.json gcp_machine_types.json storage_prices.json os_images.json)
set(CS_CATALOG_CHUNK 16000)

set(CS_CATALOG_ENTRIES "")
set(CS_CATALOG_ARRAYS "")
set(CS_CATALOG_INDEX 0)
foreach(name IN LISTS CS_CATALOG_FILES)
  set(path "${CS_CATALOG_DIR}/${name}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "catalog: ${path} is missing")
  endif()
  file(READ "${path}" text)

  cs_catalog_check("${name}" "${text}")

  string(LENGTH "${text}" length)
  set(chunks "")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${text}" ${offset} ${CS_CATALOG_CHUNK} piece)
    string(APPEND chunks "    R\"${CS_CATALOG_DELIM}(${piece})${CS_CATALOG_DELIM}\",\n")
    math(EXPR offset "${offset} + ${CS_CATALOG_CHUNK}")
  endwhile()
  string(APPEND CS_CATALOG_ARRAYS "constexpr std::string_view kFile${CS_CATALOG_INDEX}[] = {\n${chunks}};\n")
  string(APPEND CS_CATALOG_ENTRIES
         "    {\"${name}\", kFile${CS_CATALOG_INDEX}, sizeof(kFile${CS_CATALOG_INDEX}) / sizeof(kFile${CS_CATALOG_INDEX}[0])},\n")
  math(EXPR CS_CATALOG_INDEX "${CS_CATALOG_INDEX} + 1")
endforeach()

set(CS_CATALOG_CPP "${CMAKE_CURRENT_BINARY_DIR}/generated/catalog_data.cpp")
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/src/catalog/catalog_data.cpp.in" "${CS_CATALOG_CPP}" @ONLY)
target_sources(plan_core PRIVATE "${CS_CATALOG_CPP}")
target_include_directories(plan_core PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")

# A malformed file must stop the build: prove it on a truncated copy, and that the real file passes.
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/generated/aws_instances.json" "{\"cloud\": \"aws\", \"instances\": [")
add_test(NAME catalog_rejects_malformed_json
         COMMAND ${CMAKE_COMMAND} -DCS_CATALOG_CHECK_FILE=${CMAKE_CURRENT_BINARY_DIR}/generated/aws_instances.json
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/catalog.cmake")
set_tests_properties(catalog_rejects_malformed_json PROPERTIES
                     PASS_REGULAR_EXPRESSION "catalog: aws_instances.json is not a JSON object")
add_test(NAME catalog_accepts_shipped_json
         COMMAND ${CMAKE_COMMAND} -DCS_CATALOG_CHECK_FILE=${CS_CATALOG_DIR}/aws_instances.json
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/catalog.cmake")
set_tests_properties(catalog_accepts_shipped_json PROPERTIES PASS_REGULAR_EXPRESSION "aws_instances.json is well-formed")
