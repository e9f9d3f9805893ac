# Writes ${SITE}/sw.js from sw.js.in: the service worker's version is a hash of every file of the site
# (so any change to the app, the page or an asset makes a new worker and a new cache), and its list of
# files to cache is the site's files. Run as: cmake -DSITE=<site dir> -DTEMPLATE=<sw.js.in> -P stamp_sw.cmake
file(GLOB_RECURSE files RELATIVE "${SITE}" "${SITE}/*")
list(REMOVE_ITEM files sw.js)
list(SORT files)
set(digest_input "")
set(precache "'./'")
foreach(f IN LISTS files)
  file(SHA256 "${SITE}/${f}" h)
  string(APPEND digest_input "${f} ${h}\n")
  if(NOT f STREQUAL "index.html")
    string(APPEND precache ", './${f}'")
  endif()
endforeach()
string(SHA256 CS_BUILD_HASH "${digest_input}")
string(SUBSTRING "${CS_BUILD_HASH}" 0 16 CS_BUILD_HASH)
set(CS_PRECACHE "[${precache}]")
configure_file("${TEMPLATE}" "${SITE}/sw.js" @ONLY)
