// signin_cases.hpp - the sign-in cases of wrapper_test.cpp (included into it: they use its CHECK
// macros, wait_for, Seen, config and the mock client). The offline server plays Google: its
// consent page is driven here over plain HTTP, as the player's browser would (the real browser
// runs in tests/browser/signin.test.mjs).

// `text` percent-encoded for a form body.
std::string form_encode(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// The attribute value that follows `marker` in `html` ("" if absent).
std::string value_after(const std::string& html, const std::string& marker) {
    const std::size_t at = html.find(marker);
    if (at == std::string::npos) return std::string();
    const std::size_t from = at + marker.size(), to = html.find('"', from);
    return html.substr(from, to - from);
}

// The player decides on the consent page of `authorize_url`: the URL the mock redirects to.
std::string consent(const std::string& authorize_url, const char* decision) {
    const mock::Response page = g_mock->request("GET", authorize_url.substr(g_url.size()));
    const std::string form = "request=" + form_encode(value_after(page.body, "name=\"request\" value=\"")) +
                             "&decision=" + decision + "&account=" +
                             form_encode(value_after(page.body, "id=\"account-0\" value=\""));
    return g_mock->request("POST", "/oauth/authorize", form, "application/x-www-form-urlencoded").location;
}

xerial::Config signin_config() {
    xerial::Config c = config();
    c.project_id = PROJECT;
    c.oauth_authorize_url = g_url + "/oauth/authorize";
    c.oauth_token_url = g_url + "/oauth/token";
    return c;
}

void case_signin_google_desktop() {
    xerial::Sdk sdk(signin_config());
    REQUIRE(sdk.ok());
    Seen seen;
    // open_url's captures live exactly as long as the SDK's copy of it.
    auto opened = std::make_shared<std::string>();
    const std::weak_ptr<std::string> alive = opened;
    {
        xerial::SignInOptions options;
        options.client_id = "1234-test.apps.googleusercontent.com";
        options.open_url = [opened](const std::string& url) { *opened = url; };
        REQUIRE(xerial::signin_google(options, seen.callback()).valid());
    }
    opened.reset();
    std::string url;
    CHECK(wait_for([&] { auto o = alive.lock(); if (o) url = *o; return !url.empty(); }, ms(5000)));
    CHECK(url.rfind(g_url + "/oauth/authorize?response_type=code&", 0) == 0);
    // The browser, on its own thread while the game polls: consent, then the game's listener.
    std::string landed;
    std::thread browser([&] {
        const std::string redirect = consent(url, "allow");
        const std::size_t path = redirect.find('/', std::strlen("http://"));
        landed = mock::Client(redirect.substr(0, path)).request("GET", redirect.substr(path)).body;
    });
    CHECK(wait_for([&] { return seen.done(); }, ms(10000)));
    browser.join();
    const xerial::Result r = seen.get();
    CHECK_EQ(r.code, Code::Ok);
    CHECK(r.body.find("\"accessExpires\"") != std::string::npos);
    CHECK(landed.find("You are signed in") != std::string::npos);
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedIn);
    CHECK(alive.expired());  // open_url was destroyed once the sign-in's callback had run
}

void case_signin_mobile_redirect_and_one_at_a_time() {
    xerial::Sdk sdk(signin_config());
    REQUIRE(sdk.ok());
    const std::string scheme = "com.example.xerialgame:/signin";
    std::string url;
    xerial::SignInOptions options;
    options.client_id = "1234-test.apps.googleusercontent.com";
    options.redirect_uri = scheme;
    options.open_url = [&url](const std::string& u) { url = u; };
    Seen first, second;
    REQUIRE(xerial::signin_google(options, first.callback()).valid());
    CHECK(wait_for([&] { return !url.empty(); }, ms(5000)));
    REQUIRE(xerial::signin_browser_wallet(xerial::SignInOptions{}, second.callback()).valid());
    CHECK(wait_for([&] { return second.done(); }, ms(5000)));
    CHECK_EQ(second.get().code, Code::InvalidArgument);
    CHECK(second.get().message.find("a sign-in is already waiting") != std::string::npos);
    const std::string redirect = consent(url, "allow");
    CHECK(redirect.rfind(scheme + "?code=", 0) == 0);
    CHECK_EQ(xerial::signin_complete(scheme + "?code=x&state=forged"), Code::NotFound);
    CHECK_EQ(xerial::signin_complete(redirect), Code::Ok);
    CHECK_EQ(xerial::signin_complete(redirect), Code::NotFound);
    CHECK(wait_for([&] { return first.done(); }, ms(10000)));
    CHECK_EQ(first.get().code, Code::Ok);
}
