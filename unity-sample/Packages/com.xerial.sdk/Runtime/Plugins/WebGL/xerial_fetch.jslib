// xerial_fetch.jslib - the browser's fetch, for xerial_fetch.c (the SDK's host transport in the
// WebAssembly build). Linked with `emcc --js-library` (Unity does it for every .jslib in a
// WebGL plugin folder). Plain ES5 so every Emscripten's JS optimiser accepts it.
//
// Each request starts a fetch with no cookies and no redirect following; when the response and
// its body (read up to 8 MiB + 1 byte: the SDK refuses larger bodies) are in, it answers the
// request through xerial_fetch_answered; a rejected fetch (network, CORS, a body cut short)
// through xerial_fetch_failed. Nothing here blocks; answers arrive in the browser's event loop.
//
// Cross-origin: the server must answer CORS for the page's origin (a preflight for the
// Authorization and Content-Type headers) and expose Retry-After (Access-Control-Expose-Headers)
// for the SDK to see it. The browser hides a redirect's status: one is reported as 300.

var XerialFetchLibrary = {
  $XerialFetch: {
    // id -> AbortController (or true where there is none), while the request is in flight.
    inFlight: {},
    MAX_BODY: 8 * 1024 * 1024 + 1,

    // The body as bytes, reading no further than MAX_BODY. An error status is an answer even
    // when its body cannot be read.
    read: function (response) {
      var ok = response.status >= 200 && response.status < 300;
      var settle = function (promise) {
        return ok ? promise : promise.catch(function () { return new Uint8Array(0); });
      };
      if (!response.body || typeof response.body.getReader !== 'function') {
        return settle(response.arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); }));
      }
      var reader = response.body.getReader();
      var chunks = [];
      var total = 0;
      var join = function () {
        var bytes = new Uint8Array(Math.min(total, XerialFetch.MAX_BODY));
        var at = 0;
        for (var i = 0; i < chunks.length && at < bytes.length; i++) {
          var part = chunks[i].subarray(0, bytes.length - at);
          bytes.set(part, at);
          at += part.length;
        }
        return bytes;
      };
      var next = function () {
        return reader.read().then(function (step) {
          if (step.done) return join();
          chunks.push(step.value);
          total += step.value.length;
          if (total >= XerialFetch.MAX_BODY) {
            reader.cancel().catch(function () {});
            return join();
          }
          return next();
        });
      };
      return settle(next());
    },

    // A NUL-terminated copy of `text` in the module's heap (0 for null), in a buffer of
    // xerial_fetch.c, which frees it.
    cString: function (text) {
      if (text === null || text === undefined) return 0;
      var size = lengthBytesUTF8(text) + 1;
      var pointer = _xerial_fetch_buffer(size);
      stringToUTF8(text, pointer, size);
      return pointer;
    },

    answer: function (id, response, bytes) {
      if (!(id in XerialFetch.inFlight)) return; // aborted: the SDK stopped waiting
      delete XerialFetch.inFlight[id];
      var status = response.type === 'opaqueredirect' ? 300 : response.status;
      var contentType = XerialFetch.cString(response.headers.get('content-type'));
      var retryAfter = XerialFetch.cString(response.headers.get('retry-after'));
      var body = _xerial_fetch_buffer(bytes.length);
      HEAPU8.set(bytes, body);
      _xerial_fetch_answered(id, status, contentType, retryAfter, body, bytes.length);
    },

    fail: function (id, error) {
      if (!(id in XerialFetch.inFlight)) return;
      delete XerialFetch.inFlight[id];
      var message = XerialFetch.cString('fetch failed: ' + (error && error.message ? error.message : String(error)));
      _xerial_fetch_failed(id, message);
    },
  },

  xerial_fetch_start__deps: ['$XerialFetch', 'xerial_fetch_buffer', 'xerial_fetch_answered', 'xerial_fetch_failed'],
  xerial_fetch_start: function (id, method, url, headers, headerCount, body, bodyLength) {
    var init = { method: UTF8ToString(method), headers: {}, redirect: 'manual', credentials: 'omit' };
    for (var i = 0; i < headerCount; i++) {
      var at = (headers >> 2) + 2 * i;
      init.headers[UTF8ToString(HEAPU32[at])] = UTF8ToString(HEAPU32[at + 1]);
    }
    if (bodyLength > 0) init.body = HEAPU8.slice(body, body + bodyLength);
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    if (controller) init.signal = controller.signal;
    XerialFetch.inFlight[id] = controller || true;
    var target = UTF8ToString(url);
    fetch(target, init).then(function (response) {
      return XerialFetch.read(response).then(function (bytes) {
        XerialFetch.answer(id, response, bytes);
      });
    }).catch(function (error) {
      XerialFetch.fail(id, error);
    });
  },

  xerial_fetch_abort__deps: ['$XerialFetch'],
  xerial_fetch_abort: function (id) {
    var controller = XerialFetch.inFlight[id];
    delete XerialFetch.inFlight[id];
    if (controller && controller !== true) controller.abort();
  },
};

mergeInto(LibraryManager.library, XerialFetchLibrary);
