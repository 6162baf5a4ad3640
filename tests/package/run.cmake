# ctest driver: builds tests/package against leadroute one way.
#   cmake -DMODE=find_package|subdirectory|pkg-config -DSOURCE=<src>
#         -DBINARY=<leadroute build dir> -DWORK=<scratch dir>
#         [-DFLAGS=<leadroute's CMAKE_CXX_FLAGS>] -P run.cmake
# FLAGS (the sanitizer presets' -fsanitize=...) also compile and link the
# consumer: an instrumented static library needs its runtime.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
set(consumer ${SOURCE}/tests/package)
if(MODE STREQUAL "find_package" OR MODE STREQUAL "pkg-config")
  run(${CMAKE_COMMAND} --install ${BINARY} --prefix ${WORK}/prefix)
endif()
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S ${consumer} -B ${WORK}/build -G Ninja
      -DCMAKE_PREFIX_PATH=${WORK}/prefix -DLEADROUTE_CONSUMER_MODE=find_package
      "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
  run(${CMAKE_COMMAND} --build ${WORK}/build)
  run(${WORK}/build/consumer)
elseif(MODE STREQUAL "subdirectory")
  # Also the shared-library build: BUILD_SHARED_LIBS=ON.
  run(${CMAKE_COMMAND} -S ${consumer} -B ${WORK}/build -G Ninja
      -DLEADROUTE_CONSUMER_MODE=subdirectory -DLEADROUTE_ROOT=${SOURCE}
      -DBUILD_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=Release)
  run(${CMAKE_COMMAND} --build ${WORK}/build)
  run(${WORK}/build/consumer)
elseif(MODE STREQUAL "pkg-config")
  set(ENV{PKG_CONFIG_PATH} ${WORK}/prefix/lib/pkgconfig)
  find_program(PKG_CONFIG pkg-config REQUIRED)
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs --static leadroute
    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config could not find leadroute.pc")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  separate_arguments(extra UNIX_COMMAND "${FLAGS}")
  run(c++ ${extra} ${consumer}/main.cc -o ${WORK}/consumer ${flags})
  run(${WORK}/consumer)
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
