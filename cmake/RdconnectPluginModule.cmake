# rdconnect_plugin_module(TARGET)
# Shapes the MODULE library TARGET as the host expects a plugin: named
# TARGET.so without the "lib" prefix (the host finds a plugin by its name),
# and exporting nothing but rdc_plugin_entry, so that two plugins loaded
# into one host never interpose each other's symbols.
#
# Shared by the bundled plugins, the test fixtures and the installed CMake
# package (rdconnect_add_plugin), so that all three build plugins alike.
function(rdconnect_plugin_module target)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Keeps every other symbol (the C++ library's template instantiations
  # above all, which the compiler makes weak and visible) out of the
  # dynamic symbol table.
  target_link_options(${target} PRIVATE
    -Wl,--version-script=${CMAKE_CURRENT_FUNCTION_LIST_DIR}/rdconnect_plugin.map)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/rdconnect_plugin.map)
endfunction()
