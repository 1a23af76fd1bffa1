/* TargetConditionals.h - TEST-ONLY stand-in for the Apple SDK header of that name, so that
 * ring's C (which includes it on __APPLE__) compiles with Debian's clang for
 * `cargo check` / an unlinked staticlib on Apple targets (scripts/platforms/apple-check.sh).
 * Real Apple builds use Xcode's SDK and never see this file. The values follow clang's
 * target triple: -target arm64-apple-ios* defines __ENVIRONMENT_IPHONE_OS_VERSION_MIN_REQUIRED__,
 * -target arm64-apple-macos* defines __ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__. */
#ifndef XERIAL_PLATFORM_TARGET_CONDITIONALS_H
#define XERIAL_PLATFORM_TARGET_CONDITIONALS_H
#define TARGET_OS_MAC 1
#if defined(__ENVIRONMENT_IPHONE_OS_VERSION_MIN_REQUIRED__)
#define TARGET_OS_OSX 0
#define TARGET_OS_IPHONE 1
#define TARGET_OS_IOS 1
#else
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#endif
#define TARGET_OS_TV 0
#define TARGET_OS_WATCH 0
#if defined(__x86_64__) && TARGET_OS_IPHONE
#define TARGET_OS_SIMULATOR 1
#else
#define TARGET_OS_SIMULATOR 0
#endif
#endif
