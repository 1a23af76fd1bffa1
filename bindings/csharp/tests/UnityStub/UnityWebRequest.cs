// TEST-ONLY stand-in for UnityEngine.Networking.UnityWebRequest (Unity 2021.3 signatures), so
// that XerialUnityWebRequestTransport runs here against the offline server. Real HTTP/1.1 on a
// socket, from a pool thread; like Unity, a request's `completed` event is raised
// on the main thread, during a frame: here when the test calls RunCompletions (stub control, not
// in Unity). Never ship this file.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace UnityEngine
{
    public class AsyncOperation
    {
        private Action<AsyncOperation> _completed;
        public bool isDone { get; internal set; }

        public event Action<AsyncOperation> completed
        {
            add { if (isDone) value(this); else _completed += value; }
            remove { _completed -= value; }
        }

        internal void RaiseCompleted()
        {
            isDone = true;
            Action<AsyncOperation> handlers = _completed;
            _completed = null;
            if (handlers != null) handlers(this);
        }
    }
}

namespace UnityEngine.Networking
{
    public class UnityWebRequestAsyncOperation : AsyncOperation
    {
        public UnityWebRequest webRequest { get; internal set; }
    }

    public abstract class DownloadHandler : IDisposable
    {
        public byte[] data { get; internal set; }
        public void Dispose() { }
    }

    public sealed class DownloadHandlerBuffer : DownloadHandler { }

    public abstract class UploadHandler : IDisposable
    {
        public byte[] data { get; protected set; }
        public void Dispose() { }
    }

    public sealed class UploadHandlerRaw : UploadHandler
    {
        public UploadHandlerRaw(byte[] data) { this.data = data; }
    }

    public class UnityWebRequest : IDisposable
    {
        public enum Result { InProgress, Success, ConnectionError, ProtocolError, DataProcessingError }

        // stub control: finished requests waiting for the main thread's next frame
        private static readonly Queue<UnityWebRequest> Finished = new Queue<UnityWebRequest>();
        private static int s_started;

        private readonly Dictionary<string, string> _requestHeaders = new Dictionary<string, string>();
        private Dictionary<string, string> _responseHeaders;
        private UnityWebRequestAsyncOperation _operation;
        private TcpClient _client;
        private volatile bool _aborted;

        public UnityWebRequest(string url, string method) { this.url = url; this.method = method; }

        public string url { get; set; }
        public string method { get; set; }
        public int timeout { get; set; }
        public int redirectLimit { get; set; } = 32;
        public DownloadHandler downloadHandler { get; set; }
        public UploadHandler uploadHandler { get; set; }
        public long responseCode { get; private set; }
        public Result result { get; private set; }
        public string error { get; private set; }

        /// <summary>stub control: how many requests were ever sent.</summary>
        public static int Started { get { return Volatile.Read(ref s_started); } }

        public void SetRequestHeader(string name, string value) { _requestHeaders[name] = value; }

        public Dictionary<string, string> GetResponseHeaders() { return _responseHeaders; }

        public UnityWebRequestAsyncOperation SendWebRequest()
        {
            Interlocked.Increment(ref s_started);
            _operation = new UnityWebRequestAsyncOperation { webRequest = this };
            ThreadPool.QueueUserWorkItem(_ => Perform());
            return _operation;
        }

        public void Abort()
        {
            _aborted = true;
            TcpClient client = _client;
            if (client != null) client.Close();
        }

        public void Dispose() { }

        /// <summary>stub control: raises `completed` for every finished request, on this thread (a frame).</summary>
        public static int RunCompletions()
        {
            var done = new List<UnityWebRequest>();
            lock (Finished) while (Finished.Count > 0) done.Add(Finished.Dequeue());
            foreach (UnityWebRequest request in done) request._operation.RaiseCompleted();
            return done.Count;
        }

        /// <summary>Status line, headers (a body read to EOF; the server closes).</summary>
        private void Parse(byte[] answer)
        {
            string text = Encoding.ASCII.GetString(answer);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) throw new IOException("no complete answer");
            string[] lines = text.Substring(0, end).Split(new[] { "\r\n" }, StringSplitOptions.None);
            responseCode = long.Parse(lines[0].Split(' ')[1]);
            _responseHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon > 0) _responseHeaders[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
            }
            var data = new byte[answer.Length - end - 4];
            Array.Copy(answer, end + 4, data, 0, data.Length);
            if (downloadHandler != null) downloadHandler.data = data;
            result = responseCode >= 400 ? Result.ProtocolError : Result.Success;
        }

        private void Perform()
        {
            // HTTP/1.1 over a socket of its own, closed after the answer: Mono's HttpWebRequest
            // now and then reports a 204 as "Operation aborted" (seen here), which would test Mono.
            try
            {
                var uri = new Uri(url);
                using (var client = new TcpClient(uri.Host, uri.Port))
                {
                    _client = client;
                    if (_aborted) throw new IOException("Request aborted");
                    client.ReceiveTimeout = timeout > 0 ? timeout * 1000 : 0;
                    NetworkStream stream = client.GetStream();
                    byte[] body = uploadHandler != null && uploadHandler.data != null ? uploadHandler.data : new byte[0];
                    var head = new StringBuilder();
                    head.Append(method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
                    head.Append("Host: ").Append(uri.Host).Append(':').Append(uri.Port).Append("\r\nConnection: close\r\n");
                    foreach (KeyValuePair<string, string> h in _requestHeaders) head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
                    head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
                    byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
                    stream.Write(headBytes, 0, headBytes.Length);
                    stream.Write(body, 0, body.Length);
                    var all = new MemoryStream();
                    stream.CopyTo(all);
                    Parse(all.ToArray());
                }
            }
            catch (Exception e)
            {
                responseCode = 0;
                result = Result.ConnectionError;
                error = e.Message;
            }
            lock (Finished) Finished.Enqueue(this);
        }
    }
}
