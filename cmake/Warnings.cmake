function(tiersim_set_warnings target)
  target_compile_options(${target} INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wformat=2 -Wimplicit-fallthrough -Werror)
endfunction()

# Link a static library whole so that its self-registering components are kept.
function(tiersim_link_whole target lib)
  target_link_libraries(${target} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${lib}>")
endfunction()

# Declares a library of self-registering types (components, workload sources). Everything that
# builds systems from config links `tiersim_components`, which links all of them whole.
function(tiersim_component_library lib)
  set_property(GLOBAL APPEND PROPERTY TIERSIM_COMPONENT_LIBS ${lib})
endfunction()
