// Unity 2023.1+: the SDK's calls as UnityEngine.Awaitable, for games written with Awaitable.
// Unity 2021.3/2022 have no Awaitable: there the Task methods are the API (this file compiles to
// nothing).
#if UNITY_2023_1_OR_NEWER
using System;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;

namespace Xerial.Unity
{
    public static class XerialAwaitableExtensions
    {
        /// <summary>
        /// The call as an Awaitable: <c>UserWallets me = await XerialSdk.GetUserAsync(ct).AsAwaitable();</c>
        /// It completes where the Task does, inside the frame's XerialSdk.Poll on the main thread,
        /// and the code after <c>await</c> runs right there (an AwaitableCompletionSource resumes
        /// synchronously), so it may use Unity APIs. A failed call throws its XerialException, a
        /// cancelled one OperationCanceledException; exactly as awaiting the Task does.
        /// </summary>
        public static Awaitable<T> AsAwaitable<T>(this Task<T> task)
        {
            if (task == null) throw new ArgumentNullException("task");
            var source = new AwaitableCompletionSource<T>();
            task.ContinueWith(Complete<T>, source, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return source.Awaitable;
        }

        private static void Complete<T>(Task<T> task, object state)
        {
            var source = (AwaitableCompletionSource<T>)state;
            if (task.IsCanceled) source.SetCanceled();
            else if (task.IsFaulted) source.SetException(task.Exception.InnerExceptions.Count == 1 ? task.Exception.InnerException : task.Exception);
            else source.SetResult(task.Result);
        }
    }
}
#endif
