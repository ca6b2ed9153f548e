# rdconnect_add_plugin(NAME SOURCES...)
# Builds a plugin as build/plugins/NAME.so: no "lib" prefix, because the host
# looks a plugin up by its name, and only the entry point exported.
function(rdconnect_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE rdconnect::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${RDCONNECT_PLUGIN_OUTPUT_DIR})
endfunction()
