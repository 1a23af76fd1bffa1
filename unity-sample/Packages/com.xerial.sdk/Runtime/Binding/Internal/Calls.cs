// The machinery every asynchronous call shares (abi.md §3): one static completion callback for
// all of them, per-request state in a GCHandle passed as user_data and freed exactly once (by the
// one callback the library owes for each non-zero request id), Task and callback completion,
// CancellationToken → xerial_cancel.
//
// IL2CPP: the callback is a static method marked [MonoPInvokeCallback] and the delegate handed
// to native code lives in a static readonly field, so the GC never collects it.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using AOT;
using Xerial.Json;
using Xerial.Native;

namespace Xerial.Internal
{
    /// <summary>Starts one native call: passes its arguments, then the callback and user_data.</summary>
    internal delegate ulong Starter(XerialCallback callback, IntPtr userData);

    /// <summary>A copy of an XerialResult, taken before the callback returns.</summary>
    internal struct Reply
    {
        public ulong RequestId;
        public XerialCode Code;
        public int HttpStatus;
        public string Message;
        public string Body;
        public uint RetryAfterMs;
        public bool Retryable;

        public static Reply Copy(IntPtr resultPtr)
        {
            var r = (XerialResult)Marshal.PtrToStructure(resultPtr, typeof(XerialResult));
            return new Reply
            {
                RequestId = r.request_id,
                Code = (XerialCode)r.code,
                HttpStatus = r.http_status,
                Message = Utf8.Read(r.message) ?? string.Empty,
                Body = Utf8.Read(r.body, checked((int)r.body_len.ToUInt64())) ?? string.Empty,
                RetryAfterMs = r.retry_after_ms,
                Retryable = r.retryable != 0,
            };
        }

        public XerialException ToException()
        {
            return new XerialException(Code, Message, HttpStatus, Retryable,
                RetryAfterMs != 0 ? TimeSpan.FromMilliseconds(RetryAfterMs) : (TimeSpan?)null, Body, RequestId);
        }

        /// <summary>Reads a successful reply into T; a body this binding cannot read becomes Decode.</summary>
        public T Read<T>(Func<JsonValue, T> read, out XerialException error) where T : XerialResponse
        {
            error = null;
            try
            {
                JsonValue json = Body.Length == 0 ? JsonValue.Null : JsonValue.Parse(Body);
                T value = read(json);
                value.RequestId = RequestId;
                value.HttpStatus = HttpStatus;
                value.Json = Body;
                return value;
            }
            catch (Exception e)
            {
                error = new XerialException(XerialCode.Decode,
                    "the C# binding could not read the result of request " + RequestId + ": " + e.Message,
                    HttpStatus, false, null, Body, RequestId, e);
                return null;
            }
        }
    }

    /// <summary>Per-request state, reachable from native code only through its GCHandle.</summary>
    internal abstract class Pending
    {
        private readonly object _gate = new object();
        private bool _done;
        private bool _registered;
        private CancellationTokenRegistration _registration;

        /// <summary>Called with the request id once the native call returned it.</summary>
        public void Started(ulong id, CancellationToken ct)
        {
            if (!ct.CanBeCanceled) return;
            lock (_gate)
            {
                if (_done) return; // immediate mode: it already completed on a worker
                _registered = true;
                // Runs on whichever thread cancels; xerial_cancel is thread-safe, never runs a
                // callback itself, and ids are never reused (a late cancel is a harmless NOT_FOUND).
                _registration = ct.Register(CancelById, id);
            }
        }

        private static void CancelById(object id)
        {
            try { XerialNative.xerial_cancel((ulong)id); }
            catch (Exception e) { Calls.Report(e); }
        }

        public void Finish(Reply reply)
        {
            bool registered;
            lock (_gate)
            {
                _done = true;
                registered = _registered;
            }
            if (registered) _registration.Dispose();
            Complete(reply);
        }

        protected abstract void Complete(Reply reply);
    }

    internal sealed class TaskPending<T> : Pending where T : XerialResponse
    {
        private readonly TaskCompletionSource<T> _tcs = new TaskCompletionSource<T>();
        private readonly Func<JsonValue, T> _read;
        private readonly CancellationToken _ct;

        public TaskPending(Func<JsonValue, T> read, CancellationToken ct) { _read = read; _ct = ct; }

        public Task<T> Task { get { return _tcs.Task; } }

        protected override void Complete(Reply reply)
        {
            if (reply.Code == XerialCode.Ok)
            {
                XerialException error;
                T value = reply.Read(_read, out error);
                if (error == null) _tcs.TrySetResult(value);
                else _tcs.TrySetException(error);
            }
            else if (reply.Code == XerialCode.Cancelled)
            {
                // The .NET convention: a cancelled call ends as a cancelled Task
                // (await throws OperationCanceledException). OutcomeUnknown after a cancel is a
                // fault, never a cancellation: the purchase may have happened.
                if (_ct.IsCancellationRequested) _tcs.TrySetCanceled(_ct);
                else _tcs.TrySetCanceled();
            }
            else
            {
                _tcs.TrySetException(reply.ToException());
            }
        }
    }

    internal sealed class CallbackPending<T> : Pending where T : XerialResponse
    {
        private readonly Func<JsonValue, T> _read;
        private readonly Action<T, XerialException> _onDone;

        public CallbackPending(Func<JsonValue, T> read, Action<T, XerialException> onDone) { _read = read; _onDone = onDone; }

        protected override void Complete(Reply reply)
        {
            T value = null;
            XerialException error = null;
            if (reply.Code == XerialCode.Ok) value = reply.Read(_read, out error);
            else error = reply.ToException();
            _onDone(value, error); // an exception here is reported by OnCompletion, never thrown into native code
        }
    }

    internal static class Calls
    {
        /// <summary>The one completion callback of every request; kept alive for the life of the domain.</summary>
        internal static readonly XerialCallback Completion = OnCompletion;

        private static int s_pending;

        /// <summary>Requests started whose callback has not run yet (each holds one GCHandle).</summary>
        public static int PendingCount { get { return Volatile.Read(ref s_pending); } }

        public static event Action<Exception> UnhandledException;

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialCallback))]
        private static void OnCompletion(IntPtr userData, IntPtr result)
        {
            // Nothing may unwind into native code: every exception ends here.
            try
            {
                GCHandle handle = GCHandle.FromIntPtr(userData);
                var pending = (Pending)handle.Target;
                handle.Free();                       // exactly once: the library calls back exactly once
                Interlocked.Decrement(ref s_pending);
                Reply reply;
                try
                {
                    reply = Reply.Copy(result);      // the result is borrowed until we return
                }
                catch (Exception e)
                {
                    reply = new Reply { Code = XerialCode.Internal, Message = "the C# binding could not read the result: " + e.Message, Body = string.Empty };
                }
                pending.Finish(reply);
            }
            catch (Exception e)
            {
                Report(e);
            }
        }

        internal static void Report(Exception e)
        {
            Action<Exception> sink = UnhandledException;
            if (sink != null)
            {
                try { sink(e); return; }
                catch (Exception) { /* fall through to stderr */ }
            }
            try { Console.Error.WriteLine("Xerial: exception in a completion callback: " + e); }
            catch (Exception) { }
        }

        public static Task<T> StartTask<T>(Func<JsonValue, T> read, CancellationToken ct, Starter start) where T : XerialResponse
        {
            if (ct.IsCancellationRequested)
            {
                var cancelled = new TaskCompletionSource<T>();
                cancelled.SetCanceled();
                return cancelled.Task;
            }
            var pending = new TaskPending<T>(read, ct);
            XerialException notStarted;
            ulong id = Start(pending, start, out notStarted);
            if (notStarted != null)
            {
                var failed = new TaskCompletionSource<T>();
                failed.SetException(notStarted);
                return failed.Task;
            }
            pending.Started(id, ct);
            return pending.Task;
        }

        public static ulong StartCallback<T>(Func<JsonValue, T> read, Action<T, XerialException> onDone, Starter start) where T : XerialResponse
        {
            if (onDone == null) throw new ArgumentNullException("onDone");
            XerialException notStarted;
            ulong id = Start(new CallbackPending<T>(read, onDone), start, out notStarted);
            if (notStarted != null) throw notStarted; // the callback will never run: say so now
            return id;
        }

        private static ulong Start(Pending pending, Starter start, out XerialException notStarted)
        {
            notStarted = null;
            GCHandle handle = GCHandle.Alloc(pending);
            Interlocked.Increment(ref s_pending);
            ulong id;
            try
            {
                id = start(Completion, GCHandle.ToIntPtr(handle));
            }
            catch (Exception e)
            {
                // Nothing was started (argument conversion failed, or the library is missing).
                Release(handle);
                if (e is ArgumentException) notStarted = new XerialException(XerialCode.InvalidArgument, e.Message, inner: e);
                else if (XerialSdk.IsLoadFailure(e)) notStarted = new XerialException(XerialCode.LibraryUnavailable, XerialSdk.LoadFailureMessage(e), inner: e);
                else notStarted = new XerialException(XerialCode.Internal, e.GetType().Name + ": " + e.Message, inner: e);
                return 0;
            }
            if (id == 0)
            {
                // 0: the library will never call back (not initialised; the callback is never NULL).
                Release(handle);
                notStarted = new XerialException(XerialCode.NotInitialized,
                    "the Xerial SDK is not initialised (call XerialSdk.Initialize first)");
            }
            return id;
        }

        private static void Release(GCHandle handle)
        {
            handle.Free();
            Interlocked.Decrement(ref s_pending);
        }
    }
}
