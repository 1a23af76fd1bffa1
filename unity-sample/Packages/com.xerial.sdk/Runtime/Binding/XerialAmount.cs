// XerialAmount: an exact decimal number for the amounts and prices Xerial sends as decimal
// strings ("0.053353126320360021", uint256 values with a fraction). No C# number holds them
// exactly (double rounds, decimal stops at 28 digits), so a game that compares a balance with a
// price, or adds two amounts, does it here: digit by digit, never rounded.
using System;
using System.Text;

namespace Xerial
{
    /// <summary>
    /// An exact decimal amount (any number of digits before and after the point, up to
    /// <see cref="MaxLength"/> characters of text): compare it, add and subtract it exactly, parse
    /// it from and format it back to the decimal strings the API uses. default(XerialAmount) is 0.
    /// <code>
    /// XerialAmount balance = (await XerialSdk.GetNativeBalanceAsync(address, XerialChains.Polygon)).BalanceAmount;
    /// if (balance >= listing.PriceAmount) { … }          // exact, unlike double.Parse
    /// XerialAmount left = balance - listing.PriceAmount;   // "0.053353126320360021" - "0.05" = "0.003353126320360021"
    /// </code>
    /// </summary>
    public struct XerialAmount : IEquatable<XerialAmount>, IComparable<XerialAmount>
    {
        /// <summary>The longest text Parse accepts (untrusted input stays bounded).</summary>
        public const int MaxLength = 1024;

        /// <summary>0.</summary>
        public static readonly XerialAmount Zero = default(XerialAmount);

        // value = ±Digits × 10^-_scale. Canonical: no leading zeros, no trailing zeros after the
        // point (so equal values have equal fields), zero is "0", scale 0, never negative.
        private readonly string _digits;
        private readonly int _scale;
        private readonly bool _negative;

        private XerialAmount(string digits, int scale, bool negative)
        {
            int start = 0;
            while (start < digits.Length - 1 && digits[start] == '0') start++;
            int end = digits.Length;
            while (scale > 0 && end - start > 1 && digits[end - 1] == '0') { end--; scale--; }
            if (scale > 0 && end - start == 1 && digits[start] == '0') scale = 0;
            digits = digits.Substring(start, end - start);
            if (digits.Length == 0) digits = "0";
            bool zero = digits == "0";
            _digits = zero ? null : digits;
            _scale = zero ? 0 : scale;
            _negative = !zero && negative;
        }

        private string Digits { get { return _digits ?? "0"; } }

        /// <summary>True for 0.</summary>
        public bool IsZero { get { return _digits == null; } }

        /// <summary>-1, 0 or 1.</summary>
        public int Sign { get { return IsZero ? 0 : _negative ? -1 : 1; } }

        /// <summary>
        /// Parses plain decimal text: an optional '-', digits, optionally '.' and digits
        /// ("12", "0.5", "-3.25"; no exponent, no spaces, no thousands separators: the form the
        /// SDK hands out). Throws FormatException otherwise (ArgumentNullException for null).
        /// </summary>
        public static XerialAmount Parse(string text)
        {
            if (text == null) throw new ArgumentNullException("text");
            XerialAmount value;
            if (!TryParse(text, out value))
                throw new FormatException("not a decimal amount (digits, optionally '-' first and one '.'): \"" +
                                          (text.Length > 64 ? text.Substring(0, 64) + "…" : text) + "\"");
            return value;
        }

        /// <summary>Parse without exceptions: false (and 0) for null or anything Parse refuses.</summary>
        public static bool TryParse(string text, out XerialAmount value)
        {
            value = Zero;
            if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
            int i = 0;
            bool negative = text[0] == '-';
            if (negative) i++;
            int intStart = i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
            if (i == intStart) return false;
            string integer = text.Substring(intStart, i - intStart), fraction = "";
            if (i < text.Length)
            {
                if (text[i] != '.') return false;
                int fracStart = ++i;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
                if (i == fracStart || i != text.Length) return false;
                fraction = text.Substring(fracStart);
            }
            value = new XerialAmount(integer + fraction, fraction.Length, negative);
            return true;
        }

        /// <summary>A decimal string of a result (0 when the server left it out); malformed: FormatException, read as Decode.</summary>
        internal static XerialAmount FromApi(string text) { return text == null ? Zero : Parse(text); }

        /// <summary>An integer amount.</summary>
        public static implicit operator XerialAmount(long value)
        {
            if (value == long.MinValue) return new XerialAmount("9223372036854775808", 0, true);
            return new XerialAmount(Math.Abs(value).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, value < 0);
        }

        /// <summary>Plain decimal text, the API's form: "0", "12", "-0.5", "0.000001" (no exponent, no trailing zeros).</summary>
        public override string ToString()
        {
            string digits = Digits;
            var sb = new StringBuilder(digits.Length + 3);
            if (_negative) sb.Append('-');
            if (_scale == 0) return sb.Append(digits).ToString();
            if (digits.Length <= _scale) sb.Append("0.").Append('0', _scale - digits.Length).Append(digits);
            else sb.Append(digits, 0, digits.Length - _scale).Append('.').Append(digits, digits.Length - _scale, _scale);
            return sb.ToString();
        }

        public int CompareTo(XerialAmount other)
        {
            if (Sign != other.Sign) return Sign < other.Sign ? -1 : 1;
            int scale = Math.Max(_scale, other._scale);
            int magnitude = CompareMagnitude(Scaled(scale), other.Scaled(scale));
            return _negative ? -magnitude : magnitude;
        }

        public bool Equals(XerialAmount other)
        {
            return _negative == other._negative && _scale == other._scale && Digits == other.Digits;
        }

        public override bool Equals(object obj) { return obj is XerialAmount && Equals((XerialAmount)obj); }

        public override int GetHashCode() { return (Digits.GetHashCode() * 31 + _scale) * 2 + (_negative ? 1 : 0); }

        public static bool operator ==(XerialAmount a, XerialAmount b) { return a.Equals(b); }
        public static bool operator !=(XerialAmount a, XerialAmount b) { return !a.Equals(b); }
        public static bool operator <(XerialAmount a, XerialAmount b) { return a.CompareTo(b) < 0; }
        public static bool operator >(XerialAmount a, XerialAmount b) { return a.CompareTo(b) > 0; }
        public static bool operator <=(XerialAmount a, XerialAmount b) { return a.CompareTo(b) <= 0; }
        public static bool operator >=(XerialAmount a, XerialAmount b) { return a.CompareTo(b) >= 0; }

        public static XerialAmount operator -(XerialAmount a) { return new XerialAmount(a.Digits, a._scale, !a._negative); }

        /// <summary>Exact sum. Throws OverflowException when the result would be longer than MaxLength.</summary>
        public static XerialAmount operator +(XerialAmount a, XerialAmount b)
        {
            int scale = Math.Max(a._scale, b._scale);
            string x = a.Scaled(scale), y = b.Scaled(scale);
            XerialAmount sum;
            if (a._negative == b._negative) sum = new XerialAmount(AddMagnitudes(x, y), scale, a._negative);
            else if (CompareMagnitude(x, y) >= 0) sum = new XerialAmount(SubtractMagnitudes(x, y), scale, a._negative);
            else sum = new XerialAmount(SubtractMagnitudes(y, x), scale, b._negative);
            if (sum.ToString().Length > MaxLength) throw new OverflowException("XerialAmount longer than " + MaxLength + " characters");
            return sum;
        }

        /// <summary>Exact difference. Throws OverflowException when the result would be longer than MaxLength.</summary>
        public static XerialAmount operator -(XerialAmount a, XerialAmount b) { return a + -b; }

        /// <summary>The digits of |this| × 10^scale (scale ≥ this one's): the fraction padded with zeros.</summary>
        private string Scaled(int scale)
        {
            return scale == _scale ? Digits : Digits + new string('0', scale - _scale);
        }

        private static int CompareMagnitude(string x, string y)
        {
            // Canonical digits have no leading zeros, and padding keeps it so (except "0…0", which
            // Sign already separated): the longer one is larger.
            if (x.Length != y.Length) return x.Length < y.Length ? -1 : 1;
            return Math.Sign(string.CompareOrdinal(x, y));
        }

        private static string AddMagnitudes(string x, string y)
        {
            var result = new char[Math.Max(x.Length, y.Length) + 1];
            int carry = 0;
            for (int k = 0; k < result.Length; k++)
            {
                int d = carry + DigitFromRight(x, k) + DigitFromRight(y, k);
                result[result.Length - 1 - k] = (char)('0' + d % 10);
                carry = d / 10;
            }
            return new string(result);
        }

        /// <summary>x - y for x ≥ y.</summary>
        private static string SubtractMagnitudes(string x, string y)
        {
            var result = new char[x.Length];
            int borrow = 0;
            for (int k = 0; k < x.Length; k++)
            {
                int d = DigitFromRight(x, k) - borrow - DigitFromRight(y, k);
                borrow = d < 0 ? 1 : 0;
                result[x.Length - 1 - k] = (char)('0' + d + 10 * borrow);
            }
            return new string(result);
        }

        private static int DigitFromRight(string digits, int k)
        {
            return k < digits.Length ? digits[digits.Length - 1 - k] - '0' : 0;
        }
    }
}
