# Installing ConvScope the way a desktop expects, and the Debian package made from it.
#
#   cmake --install build --prefix /usr/local     # or any folder: the tree is relocatable
#   (cd build && cpack -G DEB)                    # convscope_<version>_<arch>.deb
#
# The installed tree:
#   bin/convscope
#   share/convscope/assets/        fonts (with their licence), landscape.png (with its
#                                  licence), picture.pgm: found by asset_path() as
#                                  ../share/convscope/assets next to the executable
#   share/applications/convscope.desktop
#   share/icons/hicolor/{16,32,48,64,128,256}x.../apps/convscope.png, scalable/apps/convscope.svg
#   share/doc/convscope/README.md
# Nothing else is read at run time.
include(GNUInstallDirs)
# Only convscope is installed: `cpack` and `make install` package the convscope already
# built (`cmake --build build --target convscope`) instead of first building the tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS convscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Only what the program reads (and the licences that travel with the fonts and the
# picture); the README's screenshots and the picture's generator stay in the source tree.
install(FILES
    ${PROJECT_SOURCE_DIR}/assets/DejaVuSans.ttf
    ${PROJECT_SOURCE_DIR}/assets/DejaVuSansMono.ttf
    ${PROJECT_SOURCE_DIR}/assets/DejaVu.LICENSE
    ${PROJECT_SOURCE_DIR}/assets/landscape.png
    ${PROJECT_SOURCE_DIR}/assets/landscape.LICENSE
    ${PROJECT_SOURCE_DIR}/assets/picture.pgm
  DESTINATION ${CMAKE_INSTALL_DATADIR}/convscope/assets)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/convscope.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/convscope.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# The PNGs are packaging/convscope.svg rasterized once (packaging/make-icons.sh).
foreach(size 16 32 48 64 128 256)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/icons/convscope-${size}.png
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
    RENAME convscope.png)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package. Its Depends are what dpkg-shlibdeps finds for the executable's
# libraries (libimgui is a static library, so it adds nothing), written out so the list
# does not change with the build machine, plus what the program loads or runs itself:
#   libgl1              GLFW opens libGL.so.1 at run time (GLX), and it brings Mesa
#   ffmpeg              the GIF and MP4 exporters run the ffmpeg executable
#   fonts-dejavu-core   the exported figures draw their labels in DejaVu Sans through
#                       fontconfig (the window uses the fonts shipped in assets/)
# zenity only adds the desktop's file chooser (the app has its own): a Recommends.
set(CPACK_PACKAGE_NAME convscope)
set(CPACK_PACKAGE_VENDOR "ConvScope")
set(CPACK_PACKAGE_CONTACT "ConvScope maintainers <convscope@users.noreply.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "dilated and transposed convolution, step by step, exactly as PyTorch computes them")
set(CPACK_PACKAGE_DESCRIPTION
  "ConvScope teaches dilated and transposed convolution by computing them step by step, exactly as PyTorch does, and showing every kernel tap, receptive field and output grid. A desktop app and a command line (figures, GIF/MP4 animations, shape arithmetic).")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6 (>= 2.35), libcairo2 (>= 1.15.8), libfftw3-double3 (>= 3.3.10), libgcc-s1 (>= 3.0), libglfw3 (>= 3.3), libgl1, libopenblas0, libopengl0, libstb0 (>= 0.0~git20180212.15.e6afb9c), libstdc++6 (>= 12), ffmpeg, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "zenity")
include(CPack)
