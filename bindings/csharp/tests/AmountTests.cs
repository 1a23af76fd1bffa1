// XerialAmount (exact decimal amounts) and the helpers a game uses to pick its wallet address:
// pure C#, no server.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Xerial.Tests
{
    public static class AmountTests
    {
        private static XerialAmount A(string s) { return XerialAmount.Parse(s); }

        public static void Register()
        {
            T.Case("amount: parse and format round-trip the API's decimal strings, canonically", () =>
            {
                var cases = new Dictionary<string, string>
                {
                    { "0", "0" }, { "00", "0" }, { "-0", "0" }, { "0.000", "0" }, { "-0.0", "0" },
                    { "25", "25" }, { "007", "7" }, { "1.50", "1.5" }, { "0.5", "0.5" }, { "-3.25", "-3.25" },
                    { "0.053353126320360021", "0.053353126320360021" }, { "0.000001", "0.000001" },
                    { "10.0", "10" }, { "100", "100" },
                    { "115792089237316195423570985008687907853269984665640564039457584007913129639935",
                      "115792089237316195423570985008687907853269984665640564039457584007913129639935" },
                    { "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
                      "115792089237316195423570985008687907853269984665640564039457.584007913129639935" },
                };
                foreach (KeyValuePair<string, string> c in cases) T.Eq(c.Value, A(c.Key).ToString(), "format of " + c.Key);
                foreach (string bad in new[] { "", " 1", "1 ", "+1", "1.", ".5", "1e3", "1,5", "0x10", "--1", "1.2.3", "١", "NaN", new string('9', XerialAmount.MaxLength + 1) })
                {
                    XerialAmount v;
                    T.Check(!XerialAmount.TryParse(bad, out v), "TryParse accepted \"" + bad + "\"");
                    T.Check(v.IsZero, "a refused parse leaves 0");
                    bool threw = false;
                    try { XerialAmount.Parse(bad); } catch (FormatException) { threw = true; }
                    T.Check(threw, "Parse(\"" + bad + "\") did not throw FormatException");
                }
                bool nullThrew = false;
                try { XerialAmount.Parse(null); } catch (ArgumentNullException) { nullThrew = true; }
                T.Check(nullThrew, "Parse(null) throws ArgumentNullException");
                T.Eq("0", default(XerialAmount).ToString(), "default is 0");
                T.Eq(XerialAmount.Zero, A("0.00"), "0.00 == Zero");
                T.Eq(A("1.5"), A("1.50"), "equal values are Equal");
                T.Eq(A("1.5").GetHashCode(), A("1.500").GetHashCode(), "and hash alike");
                T.Eq("-9223372036854775808", ((XerialAmount)long.MinValue).ToString(), "long.MinValue");
                T.Eq("42", ((XerialAmount)42).ToString(), "implicit from an integer");
            });

            T.Case("amount: comparison is exact where double is not (sign, scale, length, uint256)", () =>
            {
                T.Check(A("0.1") + A("0.2") == A("0.3"), "0.1 + 0.2 == 0.3 (double says no)");
                T.Check(A("9007199254740993") > A("9007199254740992"), "beyond 2^53");
                T.Check(A("0.053353126320360021") > A("0.05335312632036002"), "18 decimals");
                T.Check(A("-1") < A("0") && A("0") < A("0.000001") && A("-0.5") > A("-1"), "signs");
                T.Check(A("10") > A("9.999999999999999999999"), "length before digits");
                T.Check(A("1.5") >= A("1.50") && A("1.5") <= A("1.50"), ">= and <= on equal values");
                T.Check(A("115792089237316195423570985008687907853269984665640564039457584007913129639935") > A("115792089237316195423570985008687907853269984665640564039457584007913129639934"), "uint256 max");
                var sorted = new[] { "2", "-1.5", "0", "0.25", "-10", "1.0" }.Select(A).OrderBy(x => x).Select(x => x.ToString()).ToArray();
                T.Eq("-10 -1.5 0 0.25 1 2", string.Join(" ", sorted), "sorts by value");
            });

            T.Case("amount: addition and subtraction are exact, carry and borrow across the point, signs mixed", () =>
            {
                T.Eq("0.003353126320360021", (A("0.053353126320360021") - A("0.05")).ToString(), "balance - price");
                T.Eq("1", (A("0.999999999999999999") + A("0.000000000000000001")).ToString(), "carry into the integer");
                T.Eq("-0.5", (A("1") - A("1.5")).ToString(), "negative result");
                T.Eq("0", (A("1.25") - A("1.250")).ToString(), "to zero");
                T.Eq("-3", (A("-1.5") + A("-1.5")).ToString(), "two negatives");
                T.Eq("0.5", (A("-1") + A("1.5")).ToString(), "mixed signs");
                T.Eq("100000000000000000000000000000000000000000000000000000000000000000000000000000",
                     (A("99999999999999999999999999999999999999999999999999999999999999999999999999999") + 1).ToString(), "past uint256 digits");
                T.Eq("2.5", (-A("-2.5")).ToString(), "negation");
                XerialAmount sum = XerialAmount.Zero;
                for (int i = 0; i < 1000; i++) sum += A("0.001");
                T.Eq("1", sum.ToString(), "1000 × 0.001");
                bool overflow = false;
                try { XerialAmount big = A(new string('9', XerialAmount.MaxLength)); big += 1; }
                catch (OverflowException) { overflow = true; }
                T.Check(overflow, "a result past MaxLength is OverflowException");
            });

            T.Case("address: Wallet.AddressFor picks the smart account of a custodial wallet on Polygon, the EOA otherwise", () =>
            {
                UserWallets u = UserWalletsFrom("{\"user\":{\"id\":\"u\"},\"wallets\":[" +
                    "{\"id\":\"1\",\"address\":\"0xE0A\",\"smartAccount\":\"0x5A\",\"custodial\":true}," +
                    "{\"id\":\"2\",\"address\":\"0xMM\",\"smartAccount\":null,\"custodial\":false}," +
                    "{\"id\":\"3\",\"address\":\"0xE0B\",\"smartAccount\":\"0x5B\",\"custodial\":false}]}");
                T.Eq("0x5A", u.Wallets[0].AddressFor(XerialChains.Polygon), "custodial on Polygon: smart account");
                T.Eq("0x5A", u.Wallets[0].AddressFor("Polygon"), "chain names compare without case");
                T.Eq("0xE0A", u.Wallets[0].AddressFor(XerialChains.Telos), "Telos: the EOA");
                T.Eq("0xMM", u.Wallets[1].AddressFor(XerialChains.Polygon), "external wallet: its address");
                T.Eq("0xE0B", u.Wallets[2].AddressFor(XerialChains.Polygon), "not custodial: the EOA even with a smart account");
                T.Eq("0x5A", u.AddressFor(XerialChains.Polygon), "UserWallets: the first wallet's");
                T.Eq(null, UserWalletsFrom("{\"user\":{\"id\":\"u\"},\"wallets\":[]}").AddressFor("polygon"), "no wallet: null");
                T.Eq("polygon", XerialChains.Polygon, "chain constant");
                T.Eq("telos", XerialChains.Telos, "chain constant");
            });

            T.Case("api surface: Xerial.Native and Xerial.Json are internal; every type the binding exports is in namespace Xerial and shows no internal type", () =>
            {
                var exported = new List<Type>(typeof(XerialSdk).Assembly.GetExportedTypes());
                T.Check(exported.Count > 20, "exported types: " + exported.Count);
                string[] leaked = exported.Where(t => t.Namespace != "Xerial").Select(t => t.FullName).ToArray();
                T.Check(leaked.Length == 0, "public types outside Xerial: " + string.Join(", ", leaked));
                foreach (Type t in exported)
                    foreach (System.Reflection.MemberInfo m in t.GetMembers())
                    {
                        Type shown = m is System.Reflection.PropertyInfo ? ((System.Reflection.PropertyInfo)m).PropertyType
                                   : m is System.Reflection.FieldInfo ? ((System.Reflection.FieldInfo)m).FieldType
                                   : m is System.Reflection.MethodInfo ? ((System.Reflection.MethodInfo)m).ReturnType : null;
                        T.Check(shown == null || (shown.Namespace != "Xerial.Json" && shown.Namespace != "Xerial.Native"),
                                t.Name + "." + m.Name + " shows an internal type " + shown);
                    }
            });
        }

        private static UserWallets UserWalletsFrom(string json) { return UserWallets.Read(Xerial.Json.JsonValue.Parse(json)); }
    }
}
