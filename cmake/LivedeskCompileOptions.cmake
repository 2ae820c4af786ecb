# Project-wide compile settings, applied per target with livedesk_target_defaults().
function(livedesk_target_defaults target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_CAST_FROM_BYTEARRAY
        QT_NO_FOREACH
        QT_NO_KEYWORDS
        QT_USE_QSTRINGBUILDER
        QT_STRICT_ITERATORS
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
                                             -Woverloaded-virtual
                                             # clang (fuzz builds) has no -Wshadow=local.
                                             $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
    if(LIVEDESK_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# LIVEDESK_SANITIZE and LIVEDESK_FUZZ instrument every target of the build (Qt itself is not:
# ASan still catches our own heap errors, it only misses bad accesses inside Qt's code).
# UBSan stops at the first finding so that a test fails instead of printing and passing.
macro(livedesk_sanitizer_options)
    set(_livedesk_sanitizers address,undefined)
    if(LIVEDESK_FUZZ)
        if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
            message(FATAL_ERROR "LIVEDESK_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
        endif()
        # Coverage feedback for the code under test; the fuzz targets add the libFuzzer main.
        add_compile_options(-fsanitize=fuzzer-no-link,${_livedesk_sanitizers})
    elseif(LIVEDESK_SANITIZE)
        add_compile_options(-fsanitize=${_livedesk_sanitizers})
    endif()
    if(LIVEDESK_FUZZ OR LIVEDESK_SANITIZE)
        add_compile_options(-fno-omit-frame-pointer -fno-sanitize-recover=all)
        add_link_options(-fsanitize=${_livedesk_sanitizers})
    endif()
endmacro()
