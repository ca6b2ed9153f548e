# RDCONNECT_SANITIZE: a comma list for -fsanitize=, e.g. "address,undefined"
# or "thread". Applied to the compile and link of every target (host, plugins,
# test fixtures, tests), so that plugins dlopen'ed into the host share its
# sanitizer runtime: the runtime is linked into executables only (the default,
# no -static-libasan), and the shared objects resolve it from the executable.
set(RDCONNECT_SANITIZE "" CACHE STRING
  "Sanitizers for -fsanitize= (comma list, e.g. address,undefined or thread); empty for none")

if(RDCONNECT_SANITIZE)
  string(REPLACE "," ";" _rdc_sanitizers "${RDCONNECT_SANITIZE}")
  if("thread" IN_LIST _rdc_sanitizers AND "address" IN_LIST _rdc_sanitizers)
    message(FATAL_ERROR "RDCONNECT_SANITIZE: thread and address cannot be combined")
  endif()
  set(_rdc_flags -fsanitize=${RDCONNECT_SANITIZE} -fno-omit-frame-pointer)
  if("undefined" IN_LIST _rdc_sanitizers)
    # UB is an error, not a warning: the test that hits it fails.
    list(APPEND _rdc_flags -fno-sanitize-recover=undefined)
  endif()
  # A sanitized Debug build runs at -O1, which ASan and TSan recommend: much
  # faster than -O0 at run time, and the stacks still map to the source.
  add_compile_options(${_rdc_flags} $<$<CONFIG:Debug>:-O1>)
  add_link_options(${_rdc_flags})
  message(STATUS "rdconnect: sanitizers ${RDCONNECT_SANITIZE}")
endif()
