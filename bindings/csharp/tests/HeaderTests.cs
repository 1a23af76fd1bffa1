// The raw layer cannot drift from include/xerial.h: these cases parse the header and compare every
// function (name, parameter names and types, return type), constant, struct field and callback
// typedef with the C# declarations, both ways; compile a C program against the header to compare
// sizeof/offsetof with Marshal.SizeOf/OffsetOf; and check the IL2CPP rules by reflection.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Xerial.Native;

namespace Xerial.Tests
{
    public static class HeaderTests
    {
        public sealed class CDecl
        {
            public string Name;
            public string Return;               // normalised C type
            public List<KeyValuePair<string, string>> Params = new List<KeyValuePair<string, string>>(); // (type, name)
        }

        public sealed class Header
        {
            public Dictionary<string, long> Constants = new Dictionary<string, long>();
            public Dictionary<string, CDecl> Functions = new Dictionary<string, CDecl>();
            public Dictionary<string, CDecl> Callbacks = new Dictionary<string, CDecl>();
            public Dictionary<string, List<KeyValuePair<string, string>>> Structs = new Dictionary<string, List<KeyValuePair<string, string>>>();
        }

        private static Header s_header;

        public static Header Parse()
        {
            if (s_header != null) return s_header;
            string path = Path.Combine(T.Repo, "include/xerial.h");
            string text = File.ReadAllText(path);
            text = Regex.Replace(text, @"/\*.*?\*/", " ", RegexOptions.Singleline);
            text = Regex.Replace(text, @"//[^\n]*", " ");
            var h = new Header();

            foreach (Match m in Regex.Matches(text, @"^[ \t]*#define[ \t]+(XERIAL_\w+)[ \t]+([^\n]+)$", RegexOptions.Multiline))
                h.Constants[m.Groups[1].Value] = Eval(m.Groups[2].Value.Trim());

            // Preprocessor lines go before the declarations are flattened (#endif would glue to a type).
            string flat = Regex.Replace(Regex.Replace(text, @"^[ \t]*#[^\n]*$", " ", RegexOptions.Multiline), @"\s+", " ");
            foreach (Match m in Regex.Matches(flat, @"typedef struct (\w+) \{(.*?)\} \1;"))
            {
                var fields = new List<KeyValuePair<string, string>>();
                foreach (string raw in m.Groups[2].Value.Split(';'))
                {
                    string f = raw.Trim();
                    if (f.Length == 0) continue;
                    fields.Add(SplitDecl(f));
                }
                h.Structs[m.Groups[1].Value] = fields;
            }
            // The return type may be a pointer: `typedef void *(*XerialAllocateCallback)(...)`.
            foreach (Match m in Regex.Matches(flat, @"typedef ([\w ]+?(?: ?\*)?) ?\(\*(\w+)\)\(([^)]*)\);"))
                h.Callbacks[m.Groups[2].Value] = Decl(m.Groups[2].Value, m.Groups[1].Value, m.Groups[3].Value);

            int start = flat.IndexOf("extern \"C\" {", StringComparison.Ordinal);
            string body = start >= 0 ? flat.Substring(start) : flat;
            foreach (Match m in Regex.Matches(body, @"([A-Za-z_][\w ]*?[\w\*]) ?\*?\b(xerial_\w+)\(([^)]*)\);"))
            {
                // re-split the return type from the name (pointer stars may be glued to the name)
                string before = m.Value.Substring(0, m.Value.IndexOf(m.Groups[2].Value, StringComparison.Ordinal));
                h.Functions[m.Groups[2].Value] = Decl(m.Groups[2].Value, before, m.Groups[3].Value);
            }
            return s_header = h;
        }

        private static CDecl Decl(string name, string ret, string parameters)
        {
            var d = new CDecl { Name = name, Return = NormType(ret) };
            string p = parameters.Trim();
            if (p.Length > 0 && p != "void")
                foreach (string one in p.Split(',')) d.Params.Add(SplitDecl(one.Trim()));
            return d;
        }

        /// <summary>"const char *base_url" → ("const char *", "base_url").</summary>
        private static KeyValuePair<string, string> SplitDecl(string decl)
        {
            Match m = Regex.Match(decl, @"^(.*?)(\w+)$");
            return new KeyValuePair<string, string>(NormType(m.Groups[1].Value), m.Groups[2].Value);
        }

        private static string NormType(string t)
        {
            t = Regex.Replace(t, @"\bstruct\b", " ");
            t = t.Replace("*", " * ");
            t = Regex.Replace(t, @"\s+", " ").Trim();
            return t.Replace(" *", "*").Replace("* *", "**");
        }

        /// <summary>Evaluates the integer expressions the header uses: literals, ( ), &lt;&lt;, |.</summary>
        private static long Eval(string expr)
        {
            int i = 0;
            long v = Or(expr, ref i);
            Skip(expr, ref i);
            if (i != expr.Length) throw new TestFailure("cannot evaluate #define value '" + expr + "'");
            return v;
        }

        private static void Skip(string s, ref int i) { while (i < s.Length && s[i] == ' ') i++; }

        private static long Or(string s, ref int i)
        {
            long v = Shift(s, ref i);
            for (Skip(s, ref i); i < s.Length && s[i] == '|'; Skip(s, ref i)) { i++; v |= Shift(s, ref i); }
            return v;
        }

        private static long Shift(string s, ref int i)
        {
            long v = Atom(s, ref i);
            for (Skip(s, ref i); i + 1 < s.Length && s[i] == '<' && s[i + 1] == '<'; Skip(s, ref i)) { i += 2; v <<= (int)Atom(s, ref i); }
            return v;
        }

        private static long Atom(string s, ref int i)
        {
            Skip(s, ref i);
            if (s[i] == '(') { i++; long v = Or(s, ref i); Skip(s, ref i); i++; return v; }
            bool neg = s[i] == '-';
            if (neg) i++;
            int st = i;
            while (i < s.Length && char.IsDigit(s[i])) i++;
            long n = long.Parse(s.Substring(st, i - st));
            while (i < s.Length && (s[i] == 'u' || s[i] == 'U' || s[i] == 'l' || s[i] == 'L')) i++;
            return neg ? -n : n;
        }

        // ---- C type → the C# types allowed for it ----

        private static Type[] Allowed(string cType, bool isReturn, bool isField)
        {
            switch (cType)
            {
                case "void": return new[] { typeof(void) };
                case "uint8_t": return new[] { typeof(byte) };
                case "int32_t": return new[] { typeof(int) };
                case "uint32_t": return new[] { typeof(uint) };
                case "uint64_t":
                case "XerialRequestId": return new[] { typeof(ulong) };
                case "size_t": return new[] { typeof(UIntPtr) };
                case "void*": return new[] { typeof(IntPtr) };
                case "const char*":
                case "char*":
                    // Strings in: NUL-terminated UTF-8 byte[]; out (returns, struct fields): IntPtr. Never string.
                    return isReturn || isField ? new[] { typeof(IntPtr) } : new[] { typeof(byte[]), typeof(IntPtr) };
                case "size_t*": return new[] { typeof(UIntPtr).MakeByRefType() };
                case "XerialConfig*":
                case "const XerialConfig*": return new[] { typeof(XerialConfig).MakeByRefType() };
                case "const XerialResult*": return new[] { typeof(IntPtr) };
                case "const XerialTransport*": return new[] { typeof(IntPtr) };
                case "const XerialSignInOptions*": return new[] { typeof(XerialSignInOptions).MakeByRefType() };
                case "const XerialHttpHeader*": return new[] { typeof(XerialHttpHeader[]), typeof(IntPtr) };
                case "const XerialHttpRequest*": return new[] { typeof(IntPtr) };
                case "const uint8_t*": return new[] { typeof(byte[]), typeof(IntPtr) };
                case "const XerialSessionStore*": return new[] { typeof(IntPtr) };
                case "const XerialAllocator*": return new[] { typeof(XerialAllocator).MakeByRefType() };
            }
            Type del = typeof(XerialNative).Assembly.GetType("Xerial.Native." + cType);
            // A callback in a struct may also be the function pointer of a static delegate (IntPtr).
            if (del != null && typeof(Delegate).IsAssignableFrom(del)) return isField ? new[] { del, typeof(IntPtr) } : new[] { del };
            throw new TestFailure("the test does not know how C type '" + cType + "' maps to C#: extend HeaderTests.Allowed");
        }

        private static string Show(Type t) { return t.IsByRef ? "ref " + t.GetElementType().Name : t.Name; }

        private static void CheckParams(string where, List<KeyValuePair<string, string>> c, ParameterInfo[] cs, List<string> problems)
        {
            if (c.Count != cs.Length)
            {
                problems.Add(where + ": " + c.Count + " parameter(s) in the header, " + cs.Length + " in C#");
                return;
            }
            for (int i = 0; i < c.Count; i++)
            {
                if (c[i].Value != cs[i].Name)
                    problems.Add(where + " parameter " + (i + 1) + ": named '" + c[i].Value + "' in the header, '" + cs[i].Name + "' in C#");
                Type[] ok = Allowed(c[i].Key, false, false);
                if (Array.IndexOf(ok, cs[i].ParameterType) < 0)
                    problems.Add(where + " parameter '" + c[i].Value + "': C " + c[i].Key + " needs C# " +
                                 string.Join(" or ", ok.Select(Show)) + ", found " + Show(cs[i].ParameterType));
            }
        }

        private static void Report(List<string> problems)
        {
            if (problems.Count > 0) throw new TestFailure(problems.Count + " difference(s) from include/xerial.h:\n" + string.Join("\n", problems));
        }

        public static void Register()
        {
            T.Case("header: every function of xerial.h is bound with its exact signature, and nothing else", () =>
            {
                Header h = Parse();
                T.Check(h.Functions.Count >= 14, "parsed only " + h.Functions.Count + " functions from the header");
                var problems = new List<string>();
                var bound = new Dictionary<string, MethodInfo>();
                foreach (MethodInfo m in typeof(XerialNative).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                {
                    var dll = (DllImportAttribute)Attribute.GetCustomAttribute(m, typeof(DllImportAttribute));
                    if (dll == null) continue;
                    bound[m.Name] = m;
                    if (dll.CallingConvention != CallingConvention.Cdecl) problems.Add(m.Name + ": not CallingConvention.Cdecl");
                    if (!dll.ExactSpelling) problems.Add(m.Name + ": not ExactSpelling");
                    if ((dll.EntryPoint ?? m.Name) != m.Name) problems.Add(m.Name + ": EntryPoint " + dll.EntryPoint);
                    if (dll.Value != XerialNative.Library) problems.Add(m.Name + ": library " + dll.Value);
                    if (!h.Functions.ContainsKey(m.Name)) problems.Add(m.Name + ": bound in C# but not in the header");
                }
                foreach (CDecl f in h.Functions.Values)
                {
                    MethodInfo m;
                    if (!bound.TryGetValue(f.Name, out m)) { problems.Add(f.Name + ": in the header, not bound in XerialNative.cs"); continue; }
                    Type[] ok = Allowed(f.Return, true, false);
                    if (Array.IndexOf(ok, m.ReturnType) < 0)
                        problems.Add(f.Name + ": returns C " + f.Return + ", C# " + Show(m.ReturnType));
                    CheckParams(f.Name, f.Params, m.GetParameters(), problems);
                }
                Report(problems);
            });

            T.Case("header: every constant has the header's value, both ways", () =>
            {
                Header h = Parse();
                var problems = new List<string>();
                var cs = new Dictionary<string, long>();
                foreach (FieldInfo f in typeof(XerialConstants).GetFields(BindingFlags.Public | BindingFlags.Static))
                    cs[f.Name] = Convert.ToInt64(f.GetRawConstantValue());
                foreach (KeyValuePair<string, long> c in h.Constants)
                {
                    long v;
                    if (!cs.TryGetValue(c.Key, out v)) problems.Add(c.Key + " = " + c.Value + ": not in XerialConstants");
                    else if (v != c.Value) problems.Add(c.Key + ": header " + c.Value + ", C# " + v);
                }
                foreach (string k in cs.Keys)
                    if (!h.Constants.ContainsKey(k)) problems.Add(k + ": in C# but not in the header");
                // The public enums carry the same values under C# names.
                CheckEnum(h, "XERIAL_E_", typeof(XerialCode), problems, "XERIAL_OK");
                CheckEnum(h, "XERIAL_DISPATCH_", typeof(XerialDispatch), problems, null);
                CheckEnum(h, "XERIAL_LOG_", typeof(XerialLogLevel), problems, null);
                CheckEnum(h, "XERIAL_AUTH_", typeof(XerialAuthState), problems, null);
                Report(problems);
            });

            T.Case("header: struct fields (name, order, type) and callback typedefs match", () =>
            {
                Header h = Parse();
                var problems = new List<string>();
                foreach (string s in new[] { "XerialConfig", "XerialResult", "XerialSignInOptions", "XerialAllocator" })
                {
                    List<KeyValuePair<string, string>> c;
                    if (!h.Structs.TryGetValue(s, out c)) { problems.Add(s + ": not found in the header"); continue; }
                    Type t = typeof(XerialNative).Assembly.GetType("Xerial.Native." + s);
                    if (!t.IsLayoutSequential) problems.Add(s + ": not LayoutKind.Sequential");
                    FieldInfo[] fs = t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                        .OrderBy(f => Marshal.OffsetOf(t, f.Name).ToInt64()).ToArray();
                    if (fs.Length != c.Count) problems.Add(s + ": " + c.Count + " field(s) in the header, " + fs.Length + " in C#");
                    for (int i = 0; i < Math.Min(fs.Length, c.Count); i++)
                    {
                        if (fs[i].Name != c[i].Value) problems.Add(s + " field " + (i + 1) + ": '" + c[i].Value + "' in the header, '" + fs[i].Name + "' in C#");
                        Type[] ok = Allowed(c[i].Key, false, true);
                        if (Array.IndexOf(ok, fs[i].FieldType) < 0)
                            problems.Add(s + "." + c[i].Value + ": C " + c[i].Key + " needs C# " + string.Join(" or ", ok.Select(Show)) + ", found " + Show(fs[i].FieldType));
                    }
                }
                foreach (CDecl cb in h.Callbacks.Values)
                {
                    Type d = typeof(XerialNative).Assembly.GetType("Xerial.Native." + cb.Name);
                    if (d == null) { problems.Add(cb.Name + ": callback typedef without a C# delegate"); continue; }
                    var ufp = (UnmanagedFunctionPointerAttribute)Attribute.GetCustomAttribute(d, typeof(UnmanagedFunctionPointerAttribute));
                    if (ufp == null || ufp.CallingConvention != CallingConvention.Cdecl) problems.Add(cb.Name + ": needs [UnmanagedFunctionPointer(Cdecl)]");
                    MethodInfo invoke = d.GetMethod("Invoke");
                    if (Array.IndexOf(Allowed(cb.Return, true, false), invoke.ReturnType) < 0) problems.Add(cb.Name + ": return type");
                    CheckParams(cb.Name, cb.Params, invoke.GetParameters(), problems);
                }
                foreach (Type d in typeof(XerialNative).Assembly.GetTypes())
                    if (d.Namespace == "Xerial.Native" && typeof(Delegate).IsAssignableFrom(d) && !h.Callbacks.ContainsKey(d.Name))
                        problems.Add(d.Name + ": C# delegate without a typedef in the header");
                Report(problems);
            });

            T.Case("layout: sizeof/offsetof from a C compiler equal Marshal.SizeOf/OffsetOf", () =>
            {
                Header h = Parse();
                string dir = Path.Combine(T.BuildDir, "layout");
                Directory.CreateDirectory(dir);
                var c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"xerial.h\"\nint main(void) {\n");
                var expected = new List<string>();
                foreach (string s in new[] { "XerialConfig", "XerialResult", "XerialSignInOptions", "XerialAllocator" })
                {
                    Type t = typeof(XerialNative).Assembly.GetType("Xerial.Native." + s);
                    c.AppendFormat("    printf(\"{0} %zu\\n\", sizeof({0}));\n", s);
                    expected.Add(s + " " + Marshal.SizeOf(t));
                    foreach (KeyValuePair<string, string> f in h.Structs[s])
                    {
                        c.AppendFormat("    printf(\"{0}.{1} %zu\\n\", offsetof({0}, {1}));\n", s, f.Value);
                        long off = -1;
                        try { off = Marshal.OffsetOf(t, f.Value).ToInt64(); } catch (ArgumentException) { }
                        expected.Add(s + "." + f.Value + " " + off);
                    }
                }
                c.Append("    return 0;\n}\n");
                string src = Path.Combine(dir, "layout.c"), exe = Path.Combine(dir, "layout");
                File.WriteAllText(src, c.ToString());
                string cc = Environment.GetEnvironmentVariable("CC") ?? "cc";
                Run(cc, "-std=c11 -Wall -Wextra -Werror -pedantic -I \"" + Path.Combine(T.Repo, "include") + "\" -o \"" + exe + "\" \"" + src + "\"", 60000);
                string[] native = Run(exe, "", 10000).Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
                var problems = new List<string>();
                for (int i = 0; i < Math.Max(native.Length, expected.Count); i++)
                {
                    string n = i < native.Length ? native[i].Trim() : "(none)";
                    string e = i < expected.Count ? expected[i] : "(none)";
                    if (n != e) problems.Add("C: " + n + "   C#: " + e);
                }
                T.Check(native.Length > 4, "the layout program printed nothing useful");
                Report(problems);
            });
        }

        private static void CheckEnum(Header h, string prefix, Type e, List<string> problems, string extra)
        {
            var values = new Dictionary<string, long>();
            foreach (string n in Enum.GetNames(e))
                values[n.ToUpperInvariant()] = Convert.ToInt64(Enum.Parse(e, n));
            foreach (KeyValuePair<string, long> c in h.Constants)
            {
                if (!(c.Key.StartsWith(prefix, StringComparison.Ordinal) || c.Key == extra)) continue;
                string name = (c.Key == extra ? c.Key.Substring("XERIAL_".Length) : c.Key.Substring(prefix.Length)).Replace("_", "");
                long v;
                if (!values.TryGetValue(name, out v)) problems.Add(c.Key + ": no member in enum " + e.Name);
                else if (v != c.Value) problems.Add(e.Name + " member for " + c.Key + ": " + v + ", header " + c.Value);
            }
        }

        public static string Run(string file, string args, int timeoutMs)
        {
            var psi = new ProcessStartInfo(file, args)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (Process p = Process.Start(psi))
            {
                var stderr = new StringBuilder();
                p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
                p.BeginErrorReadLine();
                string stdout = p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(timeoutMs))
                {
                    try { p.Kill(); } catch (Exception) { }
                    throw new TestFailure(file + " did not finish within " + timeoutMs + " ms");
                }
                p.WaitForExit();
                if (p.ExitCode != 0)
                    throw new TestFailure(file + " " + args + " exited " + p.ExitCode + ":\n" + stdout + stderr);
                return stdout;
            }
        }
    }
}
