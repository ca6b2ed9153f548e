# rdconnect_add_plugin(NAME ENTRY SOURCE... )
# Builds a plugin as build/plugins/NAME.so from ENTRY (the file with the
# RDCONNECT_*_PLUGIN macro) and the plugin's logic in SOURCE..., which goes
# into a static library NAME_core so that unit tests link the same code
# without dlopen. The module has no "lib" prefix, because the host looks a
# plugin up by its name, and exports nothing but its entry point.
function(rdconnect_add_plugin name entry)
  add_library(${name}_core STATIC ${ARGN})
  target_include_directories(${name}_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name}_core PUBLIC rdconnect::sdk)
  set_target_properties(${name}_core PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)

  add_library(${name} MODULE ${entry})
  target_link_libraries(${name} PRIVATE ${name}_core)
  # Keeps template instantiations of the core library out of the dynamic
  # symbol table, so that two plugins never interpose each other's symbols.
  target_link_options(${name} PRIVATE -Wl,--exclude-libs,ALL)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${RDCONNECT_PLUGIN_OUTPUT_DIR})
endfunction()
