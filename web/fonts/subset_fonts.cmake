# Cuts the embedded fonts down to the glyphs the app can draw (app.data was ~900 KB of font, mostly
# glyphs ImGui never bakes). Run as a build step (web/CMakeLists.txt):
#   cmake -DPYFTSUBSET=… -DTEXT_FONT=… -DICON_FONT=… -DSOURCES=<web/src> -DOUT=<dir> -P subset_fonts.cmake
# - Text: U+0020–00FF, exactly ImGui's default glyph range, which theme.cpp bakes the text font with.
# - Icons: the Font Awesome code points the sources name as UTF-8 escapes ("\xef\x81\xa7" in theme.hpp
#   and anywhere else), found by scanning web/src, so a new icon is picked up without editing this file.
# Hinting and layout tables go too: stb_truetype (ImGui's rasteriser) uses neither.
file(GLOB_RECURSE sources "${SOURCES}/*.cpp" "${SOURCES}/*.hpp")
set(icons "")
foreach(source IN LISTS sources)
  file(READ "${source}" text)
  string(REGEX MATCHALL "\\\\xef\\\\x[89ab][0-9a-fA-F]\\\\x[89ab][0-9a-fA-F]" escapes "${text}")
  foreach(escape IN LISTS escapes)
    string(SUBSTRING "${escape}" 6 2 b1)
    string(SUBSTRING "${escape}" 10 2 b2)
    math(EXPR cp "0xF000 | ((0x${b1} & 0x3F) << 6) | (0x${b2} & 0x3F)" OUTPUT_FORMAT HEXADECIMAL)
    string(REPLACE "0x" "U+" cp "${cp}")
    list(APPEND icons "${cp}")
  endforeach()
endforeach()
list(REMOVE_DUPLICATES icons)
list(SORT icons)
if(NOT icons)
  message(FATAL_ERROR "subset_fonts: no icon code points found in ${SOURCES}")
endif()
list(JOIN icons "," icon_list)
file(MAKE_DIRECTORY "${OUT}")
foreach(job "${TEXT_FONT}|U+0020-00FF|text.ttf" "${ICON_FONT}|${icon_list}|icons.ttf")
  string(REPLACE "|" ";" parts "${job}")
  list(GET parts 0 font)
  list(GET parts 1 unicodes)
  list(GET parts 2 name)
  execute_process(
    COMMAND "${PYFTSUBSET}" "${font}" "--unicodes=${unicodes}" --no-hinting "--layout-features=" --notdef-outline
            "--output-file=${OUT}/${name}.tmp"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "subset_fonts: pyftsubset failed on ${font}: ${err}")
  endif()
  # Only a changed font relinks the app.
  file(COPY_FILE "${OUT}/${name}.tmp" "${OUT}/${name}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUT}/${name}.tmp")
endforeach()
list(LENGTH icons n)
message(STATUS "subset_fonts: text U+0020-00FF, ${n} icons")
