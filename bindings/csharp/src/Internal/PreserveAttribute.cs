using System;

namespace Xerial.Internal
{
    /// <summary>
    /// Unity's code stripper keeps anything marked with an attribute named exactly
    /// "PreserveAttribute", whatever its namespace, so the binding needs no UnityEngine reference
    /// for it. The binding uses no reflection (the JSON reader is hand-written), so nothing it
    /// needs can be stripped; the marks are belt and braces for the entry points native code calls
    /// and the result types games read.
    /// </summary>
    [AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method |
                    AttributeTargets.Constructor | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
    internal sealed class PreserveAttribute : Attribute
    {
    }
}
