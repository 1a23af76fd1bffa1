// The SDK's requests through Unity's own HTTP stack (UnityWebRequest): for a platform where the
// game must use the engine's networking (a console's certified stack under Unity), or prefers
// it (its proxy and certificate settings, its network profiling). WebGL needs no transport: the
// package's WebGL plugin uses the browser's fetch directly (Plugins/WebGL/xerial_fetch.*).
//
//     XerialUnity.Initialize(new XerialSettings { HttpTransport = new XerialUnityWebRequestTransport(), … });
//
// The SDK then runs inside the frame's poll: Send and Cancel run on the main thread, where
// UnityWebRequest must be used, and its completions (also on the main thread) answer the SDK.
using System;
using System.Collections.Generic;
using UnityEngine;
using UnityEngine.Networking;

namespace Xerial.Unity
{
    public sealed class XerialUnityWebRequestTransport : XerialHttpTransport
    {
        private readonly Dictionary<ulong, UnityWebRequest> _inFlight = new Dictionary<ulong, UnityWebRequest>();

        /// <summary>Requests started and not yet answered or cancelled.</summary>
        public int InFlight { get { return _inFlight.Count; } }

        public override void Send(XerialHttpRequest request)
        {
            var web = new UnityWebRequest(request.Url, request.Method)
            {
                downloadHandler = new DownloadHandlerBuffer(),
                // Redirects are answers (abi.md §4): never followed.
                redirectLimit = 0,
                // Whole seconds; the SDK's own deadline (which cancels) is the one that counts.
                timeout = request.TimeoutMs / 1000 + 2,
            };
            if (request.Body != null && request.Body.Length > 0) web.uploadHandler = new UploadHandlerRaw(request.Body);
            foreach (KeyValuePair<string, string> header in request.Headers) web.SetRequestHeader(header.Key, header.Value);
            ulong handle = request.Handle;
            _inFlight[handle] = web;
            UnityWebRequestAsyncOperation operation = web.SendWebRequest();
            operation.completed += _ => Finish(handle, web);
        }

        public override void Cancel(ulong handle)
        {
            UnityWebRequest web;
            if (!_inFlight.TryGetValue(handle, out web)) return;
            _inFlight.Remove(handle);
            web.Abort(); // its completion finds it gone and disposes it
        }

        private void Finish(ulong handle, UnityWebRequest web)
        {
            try
            {
                if (!_inFlight.Remove(handle)) return; // cancelled: the SDK stopped waiting
                if (web.result == UnityWebRequest.Result.ConnectionError || web.responseCode <= 0)
                {
                    // UnityWebRequest does not say whether anything left: the SDK must assume it did.
                    XerialHttp.Fail(handle, true, web.error ?? "UnityWebRequest failed");
                    return;
                }
                var headers = new List<KeyValuePair<string, string>>();
                Dictionary<string, string> received = web.GetResponseHeaders();
                if (received != null)
                    foreach (KeyValuePair<string, string> header in received) headers.Add(header);
                byte[] body = web.downloadHandler != null ? web.downloadHandler.data : null;
                XerialHttp.Complete(handle, (int)web.responseCode, headers, body);
            }
            catch (Exception e)
            {
                Debug.LogException(e);
            }
            finally
            {
                web.Dispose();
            }
        }
    }
}
