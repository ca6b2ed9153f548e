include(${CMAKE_CURRENT_LIST_DIR}/RdconnectPluginModule.cmake)

# rdconnect_add_bundled_plugin(NAME ENTRY SOURCE... )
# Builds a plugin of this repository as build/plugins/NAME.so from ENTRY
# (the file with the RDCONNECT_*_PLUGIN macro) and the plugin's logic in
# SOURCE..., which goes into a static library NAME_core so that unit tests
# link the same code without dlopen. Installed where the host looks by
# default. Plugins out of tree use rdconnect_add_plugin of the installed
# package instead.
function(rdconnect_add_bundled_plugin name entry)
  add_library(${name}_core STATIC ${ARGN})
  target_include_directories(${name}_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name}_core PUBLIC rdconnect::sdk)
  set_target_properties(${name}_core PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)

  add_library(${name} MODULE ${entry})
  target_link_libraries(${name} PRIVATE ${name}_core)
  rdconnect_plugin_module(${name})
  set_target_properties(${name} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${RDCONNECT_PLUGIN_OUTPUT_DIR})
  install(TARGETS ${name} LIBRARY DESTINATION ${RDCONNECT_PLUGIN_INSTALL_DIR})
endfunction()
