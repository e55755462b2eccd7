# All dependencies come from Debian packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
# SystemC 2.3 ships no CMake config on Debian; pkg-config finds it.
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only parts: Histogram
find_package(HDF5 REQUIRED COMPONENTS C CXX)
find_package(Threads REQUIRED)

if(NOT TARGET tiersim_hdf5)
  add_library(tiersim_hdf5 INTERFACE)
  target_include_directories(tiersim_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
  target_link_libraries(tiersim_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
  target_compile_definitions(tiersim_hdf5 INTERFACE ${HDF5_DEFINITIONS})
endif()

find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)

# libsystemc is compiled against one C++ standard and its API-version symbol says which
# (sc_api_version_2_3_4_cxx201703L). Our headers must declare the same one, or linking fails.
find_library(TIERSIM_SYSTEMC_LIB systemc HINTS ${SYSTEMC_LIBRARY_DIRS} REQUIRED)
execute_process(COMMAND nm -D ${TIERSIM_SYSTEMC_LIB} OUTPUT_VARIABLE _sc_syms ERROR_QUIET)
string(REGEX MATCH "sc_api_version_[0-9_]+_cxx([0-9]+)L" _sc_api "${_sc_syms}")
if(CMAKE_MATCH_1)
  set(TIERSIM_SC_CPLUSPLUS ${CMAKE_MATCH_1})
else()
  set(TIERSIM_SC_CPLUSPLUS 201703)
endif()
message(STATUS "SystemC library API: C++ ${TIERSIM_SC_CPLUSPLUS}L")
add_library(tiersim_systemc INTERFACE)
target_link_libraries(tiersim_systemc INTERFACE PkgConfig::SYSTEMC)
target_compile_definitions(tiersim_systemc INTERFACE SC_CPLUSPLUS=${TIERSIM_SC_CPLUSPLUS}L)
