// mock_client.hpp - a tiny blocking HTTP/1.1 client for the xerial-mock admin API (tests only).
//
// One connection per request, "Connection: close", read to EOF. POSIX sockets; no shared mutable
// state after construction, so concurrent use from several threads is fine.
#ifndef XERIAL_CPP_TESTS_MOCK_CLIENT_HPP
#define XERIAL_CPP_TESTS_MOCK_CLIENT_HPP

#include <netdb.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mock {

struct Response {
    int status = 0;  // 0: no HTTP answer (transport error)
    std::string body;
    std::string location;  // the Location header of a redirect, "" when none
};

class Client {
public:
    // `base` is "http://HOST:PORT" (what xerial-mock prints).
    explicit Client(const std::string& base) {
        std::string rest = base;
        const std::string scheme = "http://";
        if (rest.compare(0, scheme.size(), scheme) == 0) rest = rest.substr(scheme.size());
        rest = rest.substr(0, rest.find('/'));
        const std::size_t colon = rest.rfind(':');
        host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
        port_ = colon == std::string::npos ? "80" : rest.substr(colon + 1);
    }

    Response request(const std::string& method, const std::string& path, const std::string& body = "",
                     const std::string& content_type = "application/json") const {
        Response out;
        const int fd = connect_();
        if (fd < 0) return out;
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + host_ + ":" + port_ +
                          "\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\nConnection: close\r\n\r\n" + body;
        if (!send_all_(fd, req)) {
            ::close(fd);
            return out;
        }
        std::string raw;
        char buf[16384];
        for (;;) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            raw.append(buf, static_cast<std::size_t>(n));
        }
        ::close(fd);
        if (raw.compare(0, 7, "HTTP/1.") != 0 || raw.size() < 12) return out;
        out.status = std::atoi(raw.c_str() + 9);
        const std::size_t hend = raw.find("\r\n\r\n");
        if (hend == std::string::npos) return out;
        std::string headers = raw.substr(0, hend);
        out.body = raw.substr(hend + 4);
        const std::string original = headers;
        for (char& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::size_t loc = headers.find("\r\nlocation: ");
        if (loc != std::string::npos) {
            const std::size_t from = loc + 12, to = headers.find("\r\n", from);
            out.location = original.substr(from, to == std::string::npos ? std::string::npos : to - from);
        }
        if (headers.find("transfer-encoding: chunked") != std::string::npos) out.body = dechunk_(out.body);
        return out;
    }

    bool reset() const { return ok_(request("POST", "/_mock/reset", "{}")); }
    bool fault(const std::string& rule_json) const { return ok_(request("POST", "/_mock/faults", rule_json)); }
    bool clear_faults() const { return ok_(request("DELETE", "/_mock/faults")); }
    bool clear_requests() const { return ok_(request("DELETE", "/_mock/requests")); }

    // POST /_mock/sessions: the token pair JSON, or "" on failure.
    std::string new_session() const {
        Response r = request("POST", "/_mock/sessions", "{}");
        return r.status == 200 ? r.body : std::string();
    }

    // GET /_mock/requests?method=M&path=P -> count, -1 on error.
    long count(const std::string& method, const std::string& path) const {
        Response r = request("GET", "/_mock/requests?method=" + method + "&path=" + path);
        if (r.status != 200) return -1;
        const std::size_t k = r.body.find("\"count\"");
        if (k == std::string::npos) return -1;
        const std::size_t colon = r.body.find(':', k);
        return colon == std::string::npos ? -1 : std::strtol(r.body.c_str() + colon + 1, nullptr, 10);
    }

private:
    static bool ok_(const Response& r) { return r.status >= 200 && r.status < 300; }

    int connect_() const {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* res = nullptr;
        if (::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res) != 0) return -1;
        int fd = -1;
        for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
            fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (fd < 0) continue;
            timeval tv{10, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
            ::close(fd);
            fd = -1;
        }
        ::freeaddrinfo(res);
        return fd;
    }

    static bool send_all_(int fd, const std::string& data) {
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    static std::string dechunk_(const std::string& in) {
        std::string out;
        std::size_t pos = 0;
        while (pos < in.size()) {
            const std::size_t eol = in.find("\r\n", pos);
            if (eol == std::string::npos) break;
            const unsigned long n = std::strtoul(in.c_str() + pos, nullptr, 16);
            if (n == 0) break;
            out.append(in, eol + 2, n);
            pos = eol + 2 + n + 2;
        }
        return out;
    }

    std::string host_;
    std::string port_;
};

// The value of the first "key":"value" at or after `from` in `json` ("" if absent). Enough for the
// mock's token pair.
inline std::string json_string(const std::string& json, const std::string& key, std::size_t from = 0) {
    const std::string pat = "\"" + key + "\"";
    std::size_t k = json.find(pat, from);
    if (k == std::string::npos) return std::string();
    k = json.find(':', k + pat.size());
    if (k == std::string::npos) return std::string();
    const std::size_t q1 = json.find('"', k + 1);
    if (q1 == std::string::npos) return std::string();
    const std::size_t q2 = json.find('"', q1 + 1);
    if (q2 == std::string::npos) return std::string();
    return json.substr(q1 + 1, q2 - q1 - 1);
}

// The refresh token of a token pair JSON.
inline std::string refresh_token(const std::string& pair) {
    const std::size_t r = pair.find("\"refresh\"");
    return r == std::string::npos ? std::string() : json_string(pair, "token", r);
}

// The access token of a token pair JSON.
inline std::string access_token(const std::string& pair) {
    const std::size_t a = pair.find("\"access\"");
    return a == std::string::npos ? std::string() : json_string(pair, "token", a);
}

}  // namespace mock

#endif  // XERIAL_CPP_TESTS_MOCK_CLIENT_HPP
