// no_exceptions_test.cpp - xerial.hpp built with -fno-exceptions (Unreal's default) and used.
//
//   no_exceptions_test BASE_URL
//
// Unreal modules build without exceptions, and clang refuses `try` there: the wrapper must compile
// that way (its try/catch compiles out) and still work. Prints one line per case, then
// "N passed, N failed". Built and run by run.sh.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "../xerial.hpp"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "build this file with -fno-exceptions"
#endif
static_assert(XERIAL_HPP_EXCEPTIONS == 0, "the wrapper sees exceptions disabled");

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    int passed = 0;
    int failed = 0;

    xerial::Config config;
    config.base_url = argv[1];
    xerial::Sdk sdk(config);
    bool called = false;
    xerial::Result got;
    const xerial::Request req = xerial::logout("not-a-live-token", [&](const xerial::Result& r) {
        called = true;
        got = r;
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!called && std::chrono::steady_clock::now() < deadline) {
        sdk.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (sdk.ok() && req.valid() && called && got.code == xerial::Code::NotFound && got.request_id == req.id() &&
        got.message == "Not Found") {
        passed++;
        std::printf("ok - logout_without_exceptions\n");
    } else {
        failed++;
        std::printf("FAIL - logout_without_exceptions: init %s, called %d, code %s\n", xerial::code_name(sdk.init_code()),
                    called ? 1 : 0, got.code_name());
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
