# Cross-compiling the MIPS programs the tests run (included by tests/CMakeLists.txt; the
# directories that need mipsel-linux-gnu-gcc test MIPSEL_GCC and skip themselves without it).

find_program(MIPSEL_GCC mipsel-linux-gnu-gcc)

# The words after "// KEY: " (or "# KEY: ") on every such line of a source, as a list.
function(read_directive source key result)
    file(STRINGS ${source} lines REGEX "^(//|#) ${key}: ")
    set(values)
    foreach(line ${lines})
        string(REGEX REPLACE "^(//|#) ${key}: " "" words "${line}")
        separate_arguments(words UNIX_COMMAND "${words}")
        list(APPEND values ${words})
    endforeach()
    set(${result} ${values} PARENT_SCOPE)
endfunction()

# mips_guest_program(OUTPUT binary SOURCE source [DYNAMIC] [FLAGS ...] [LIBRARIES ...] [WHAT text])
# A rule that builds binary from one C or assembly source: static unless DYNAMIC, at -O2 for
# MIPS32 Release 2 with warnings as errors, with FLAGS and the source's own "CFLAGS:" directive
# (a line "// CFLAGS: ..." in C, "# CFLAGS: ..." in .S).
function(mips_guest_program)
    cmake_parse_arguments(PARSE_ARGV 0 program "DYNAMIC" "OUTPUT;SOURCE;WHAT" "FLAGS;LIBRARIES")
    read_directive(${program_SOURCE} CFLAGS directive_flags)
    set(linking -static)
    if(program_DYNAMIC)
        set(linking)
    endif()
    if(NOT program_WHAT)
        set(program_WHAT "guest program")
    endif()
    get_filename_component(directory ${program_OUTPUT} DIRECTORY)
    get_filename_component(name ${program_OUTPUT} NAME)
    add_custom_command(
        OUTPUT ${program_OUTPUT}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${directory}
        COMMAND ${MIPSEL_GCC} ${linking} -O2 -Wall -Werror -march=mips32r2 ${program_FLAGS} ${directive_flags}
                -o ${program_OUTPUT} ${program_SOURCE} ${program_LIBRARIES}
        DEPENDS ${program_SOURCE}
        COMMENT "Cross-compiling ${program_WHAT} ${name}"
        VERBATIM)
endfunction()
