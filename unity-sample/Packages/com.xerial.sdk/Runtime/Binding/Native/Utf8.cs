using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Xerial.Native
{
    /// <summary>
    /// UTF-8 both ways without Marshal.PtrToStringUTF8 (absent from the .NET Framework 4.x
    /// profiles) and without `string` marshalling (ANSI on Windows).
    /// </summary>
    internal static class Utf8
    {
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, false);

        /// <summary>
        /// NUL-terminated UTF-8 bytes of <paramref name="s"/>, or null for null (a NULL pointer).
        /// Throws ArgumentException for a string holding U+0000, which C would silently cut short.
        /// </summary>
        public static byte[] Z(string s, string paramName)
        {
            if (s == null) return null;
            if (s.IndexOf('\0') >= 0)
                throw new ArgumentException("must not contain the NUL character (U+0000)", paramName);
            int n = Strict.GetByteCount(s);
            var bytes = new byte[n + 1];
            Strict.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        /// <summary>A copy of the NUL-terminated UTF-8 string at <paramref name="p"/> (null for NULL).</summary>
        public static string Read(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            return Read(p, n);
        }

        /// <summary>A copy of <paramref name="length"/> UTF-8 bytes at <paramref name="p"/>.</summary>
        public static string Read(IntPtr p, int length)
        {
            if (p == IntPtr.Zero) return null;
            if (length == 0) return string.Empty;
            var bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return Strict.GetString(bytes);
        }

        /// <summary>Decodes <paramref name="count"/> bytes of a managed buffer.</summary>
        public static string Decode(byte[] bytes, int count)
        {
            return count == 0 ? string.Empty : Strict.GetString(bytes, 0, count);
        }

        /// <summary>Copies a native string into a new UTF-8 HGlobal block (free with FreeHGlobal).</summary>
        public static IntPtr AllocHGlobal(string s)
        {
            if (s == null) return IntPtr.Zero;
            byte[] bytes = Z(s, "value");
            IntPtr p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }
    }
}
