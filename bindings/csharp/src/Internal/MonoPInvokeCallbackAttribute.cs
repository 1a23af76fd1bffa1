// Unity (and Xamarin) provide AOT.MonoPInvokeCallbackAttribute; IL2CPP needs it on every static
// method handed to native code so that it generates the reverse-P/Invoke wrapper. Outside Unity
// (Mono, .NET) the attribute is defined here so the same source compiles; it is internal so that
// it never clashes with another library's copy.
#if !UNITY_5_3_OR_NEWER
using System;

namespace AOT
{
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { DelegateType = type; }

        public Type DelegateType { get; private set; }
    }
}
#endif
