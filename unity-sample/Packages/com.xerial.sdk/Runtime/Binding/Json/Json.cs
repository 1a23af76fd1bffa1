// A small JSON reader and writer, part of the package on purpose: no reflection, no code
// generation, no NuGet, so nothing for IL2CPP's managed-code stripping to break
// (UnityEngine.JsonUtility cannot read arrays at the top level, dictionaries or nulls, and is not
// available outside Unity). Result classes read their fields by hand from a JsonValue tree.
//
// Numbers are kept as their exact source text: on-chain amounts are uint256 and decimals no
// double holds, so AsString() of a number gives it back digit for digit.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Xerial.Json
{
    internal enum JsonKind { Null, Bool, Number, String, Array, Object }

    /// <summary>Thrown for malformed JSON or a value of the wrong kind.</summary>
    internal sealed class JsonException : Exception
    {
        public JsonException(string message) : base(message) { }
    }

    /// <summary>One JSON value: null, true/false, a number (exact text), a string, an array or an object.</summary>
    internal sealed class JsonValue
    {
        public static readonly JsonValue Null = new JsonValue(JsonKind.Null);
        public static readonly JsonValue True = new JsonValue(JsonKind.Bool) { _bool = true };
        public static readonly JsonValue False = new JsonValue(JsonKind.Bool);
        private static readonly List<JsonValue> NoItems = new List<JsonValue>();
        private static readonly List<KeyValuePair<string, JsonValue>> NoMembers = new List<KeyValuePair<string, JsonValue>>();

        private readonly JsonKind _kind;
        private bool _bool;
        private string _text;                                   // String and Number
        private List<JsonValue> _items;                         // Array
        private List<KeyValuePair<string, JsonValue>> _members; // Object, in source order
        private Dictionary<string, JsonValue> _index;           // Object, last duplicate wins

        private JsonValue(JsonKind kind) { _kind = kind; }

        public JsonKind Kind { get { return _kind; } }
        public bool IsNull { get { return _kind == JsonKind.Null; } }

        public static JsonValue String(string s)
        {
            if (s == null) return Null;
            return new JsonValue(JsonKind.String) { _text = s };
        }

        /// <summary>A number from its JSON text (validated).</summary>
        public static JsonValue Number(string literal)
        {
            var p = new Parser(literal);
            JsonValue v = p.ParseDocument();
            if (v.Kind != JsonKind.Number) throw new JsonException("not a JSON number: " + literal);
            return v;
        }

        public static JsonValue Number(long n) { return new JsonValue(JsonKind.Number) { _text = n.ToString(CultureInfo.InvariantCulture) }; }
        public static JsonValue Bool(bool b) { return b ? True : False; }
        public static JsonValue NewArray() { return new JsonValue(JsonKind.Array) { _items = new List<JsonValue>() }; }
        public static JsonValue NewObject()
        {
            return new JsonValue(JsonKind.Object)
            {
                _members = new List<KeyValuePair<string, JsonValue>>(),
                _index = new Dictionary<string, JsonValue>(StringComparer.Ordinal),
            };
        }

        /// <summary>Appends to an array built with NewArray; returns this.</summary>
        public JsonValue Add(JsonValue item)
        {
            if (_kind != JsonKind.Array) throw new JsonException("Add on " + _kind);
            _items.Add(item ?? Null);
            return this;
        }

        /// <summary>Sets a member of an object built with NewObject; returns this.</summary>
        public JsonValue Set(string key, JsonValue value)
        {
            if (_kind != JsonKind.Object) throw new JsonException("Set on " + _kind);
            if (key == null) throw new ArgumentNullException("key");
            value = value ?? Null;
            if (_index.ContainsKey(key))
            {
                for (int i = 0; i < _members.Count; i++)
                    if (_members[i].Key == key) _members[i] = new KeyValuePair<string, JsonValue>(key, value);
            }
            else
            {
                _members.Add(new KeyValuePair<string, JsonValue>(key, value));
            }
            _index[key] = value;
            return this;
        }

        /// <summary>Parses a whole JSON document; throws JsonException when malformed.</summary>
        public static JsonValue Parse(string json)
        {
            if (json == null) throw new ArgumentNullException("json");
            return new Parser(json).ParseDocument();
        }

        /// <summary>Parses, or returns false (and null) when malformed.</summary>
        public static bool TryParse(string json, out JsonValue value)
        {
            try { value = Parse(json); return true; }
            catch (JsonException) { value = null; return false; }
        }

        // ---- reading ----

        /// <summary>Number of items (array) or members (object); 0 otherwise.</summary>
        public int Count
        {
            get
            {
                if (_kind == JsonKind.Array) return _items.Count;
                if (_kind == JsonKind.Object) return _members.Count;
                return 0;
            }
        }

        /// <summary>The member <paramref name="key"/>, or null when this is not an object or has no such member.</summary>
        public JsonValue this[string key]
        {
            get
            {
                JsonValue v;
                if (_kind == JsonKind.Object && _index.TryGetValue(key, out v)) return v;
                return null;
            }
        }

        /// <summary>Item <paramref name="i"/> of an array.</summary>
        public JsonValue this[int i]
        {
            get
            {
                if (_kind != JsonKind.Array) throw new JsonException("not an array: " + _kind);
                return _items[i];
            }
        }

        public bool Has(string key) { return this[key] != null; }

        /// <summary>The items of an array; empty for anything else.</summary>
        public IList<JsonValue> Items { get { return _kind == JsonKind.Array ? _items : NoItems; } }

        /// <summary>The members of an object in source order; empty for anything else.</summary>
        public IList<KeyValuePair<string, JsonValue>> Members { get { return _kind == JsonKind.Object ? _members : NoMembers; } }

        /// <summary>A string's value, a number's exact text, null for null; throws for other kinds.</summary>
        public string AsString()
        {
            if (_kind == JsonKind.String || _kind == JsonKind.Number) return _text;
            if (_kind == JsonKind.Null) return null;
            if (_kind == JsonKind.Bool) return _bool ? "true" : "false";
            throw new JsonException("expected a string, found " + _kind);
        }

        public bool AsBool()
        {
            if (_kind != JsonKind.Bool) throw new JsonException("expected true/false, found " + _kind);
            return _bool;
        }

        public long AsLong()
        {
            long n;
            if ((_kind == JsonKind.Number || _kind == JsonKind.String)
                && long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
                return n;
            throw new JsonException("expected an integer, found " + ToJson());
        }

        public double AsDouble()
        {
            double d;
            if ((_kind == JsonKind.Number || _kind == JsonKind.String)
                && double.TryParse(_text, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                return d;
            throw new JsonException("expected a number, found " + ToJson());
        }

        // Member helpers for result classes: a missing member or a JSON null gives the default.

        public string GetString(string key)
        {
            JsonValue v = this[key];
            return v == null ? null : v.AsString();
        }

        public long GetLong(string key, long fallback = 0)
        {
            JsonValue v = this[key];
            return v == null || v.IsNull ? fallback : v.AsLong();
        }

        public long? GetNullableLong(string key)
        {
            JsonValue v = this[key];
            if (v == null || v.IsNull) return null;
            return v.AsLong();
        }

        public bool GetBool(string key, bool fallback = false)
        {
            JsonValue v = this[key];
            return v == null || v.IsNull ? fallback : v.AsBool();
        }

        public bool? GetNullableBool(string key)
        {
            JsonValue v = this[key];
            if (v == null || v.IsNull) return null;
            return v.AsBool();
        }

        /// <summary>The member if it is an object or array, else null.</summary>
        public JsonValue GetNode(string key)
        {
            JsonValue v = this[key];
            return v == null || v.IsNull ? null : v;
        }

        /// <summary>Reads an array member with <paramref name="read"/>; an absent or null member gives an empty list.</summary>
        public List<T> GetList<T>(string key, Func<JsonValue, T> read)
        {
            return ReadList(this[key], read);
        }

        public static List<T> ReadList<T>(JsonValue array, Func<JsonValue, T> read)
        {
            var list = new List<T>();
            if (array == null || array.IsNull) return list;
            if (array.Kind != JsonKind.Array) throw new JsonException("expected an array, found " + array.Kind);
            foreach (JsonValue item in array._items) list.Add(read(item));
            return list;
        }

        // ---- writing ----

        /// <summary>Compact JSON text of this value.</summary>
        public string ToJson()
        {
            var sb = new StringBuilder();
            Write(sb);
            return sb.ToString();
        }

        public override string ToString() { return ToJson(); }

        private void Write(StringBuilder sb)
        {
            switch (_kind)
            {
                case JsonKind.Null: sb.Append("null"); break;
                case JsonKind.Bool: sb.Append(_bool ? "true" : "false"); break;
                case JsonKind.Number: sb.Append(_text); break;
                case JsonKind.String: Quote(sb, _text); break;
                case JsonKind.Array:
                    sb.Append('[');
                    for (int i = 0; i < _items.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        _items[i].Write(sb);
                    }
                    sb.Append(']');
                    break;
                default:
                    sb.Append('{');
                    for (int i = 0; i < _members.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        Quote(sb, _members[i].Key);
                        sb.Append(':');
                        _members[i].Value.Write(sb);
                    }
                    sb.Append('}');
                    break;
            }
        }

        /// <summary>Appends <paramref name="s"/> as a JSON string literal.</summary>
        public static void Quote(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        public static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2);
            Quote(sb, s);
            return sb.ToString();
        }

        // ---- parsing (RFC 8259, strict) ----

        private struct Parser
        {
            private const int MaxDepth = 256;
            private readonly string _s;
            private int _i;

            public Parser(string s) { _s = s; _i = 0; }

            public JsonValue ParseDocument()
            {
                SkipWs();
                JsonValue v = ParseValue(0);
                SkipWs();
                if (_i != _s.Length) throw Error("unexpected text after the value");
                return v;
            }

            private JsonException Error(string what)
            {
                return new JsonException("JSON: " + what + " at offset " + _i.ToString(CultureInfo.InvariantCulture));
            }

            private void SkipWs()
            {
                while (_i < _s.Length)
                {
                    char c = _s[_i];
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') _i++;
                    else break;
                }
            }

            private JsonValue ParseValue(int depth)
            {
                if (depth > MaxDepth) throw Error("nested too deeply");
                if (_i >= _s.Length) throw Error("unexpected end");
                char c = _s[_i];
                switch (c)
                {
                    case '{': return ParseObject(depth);
                    case '[': return ParseArray(depth);
                    case '"': return new JsonValue(JsonKind.String) { _text = ParseString() };
                    case 't': Expect("true"); return True;
                    case 'f': Expect("false"); return False;
                    case 'n': Expect("null"); return Null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                        throw Error("unexpected character '" + c + "'");
                }
            }

            private void Expect(string word)
            {
                if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0) throw Error("expected " + word);
                _i += word.Length;
            }

            private JsonValue ParseObject(int depth)
            {
                JsonValue obj = NewObject();
                _i++; // {
                SkipWs();
                if (_i < _s.Length && _s[_i] == '}') { _i++; return obj; }
                while (true)
                {
                    SkipWs();
                    if (_i >= _s.Length || _s[_i] != '"') throw Error("expected a member name");
                    string key = ParseString();
                    SkipWs();
                    if (_i >= _s.Length || _s[_i] != ':') throw Error("expected ':'");
                    _i++;
                    SkipWs();
                    JsonValue value = ParseValue(depth + 1);
                    if (obj._index.ContainsKey(key)) obj.Set(key, value);
                    else
                    {
                        obj._members.Add(new KeyValuePair<string, JsonValue>(key, value));
                        obj._index[key] = value;
                    }
                    SkipWs();
                    if (_i >= _s.Length) throw Error("unterminated object");
                    if (_s[_i] == ',') { _i++; continue; }
                    if (_s[_i] == '}') { _i++; return obj; }
                    throw Error("expected ',' or '}'");
                }
            }

            private JsonValue ParseArray(int depth)
            {
                JsonValue arr = NewArray();
                _i++; // [
                SkipWs();
                if (_i < _s.Length && _s[_i] == ']') { _i++; return arr; }
                while (true)
                {
                    SkipWs();
                    arr._items.Add(ParseValue(depth + 1));
                    SkipWs();
                    if (_i >= _s.Length) throw Error("unterminated array");
                    if (_s[_i] == ',') { _i++; continue; }
                    if (_s[_i] == ']') { _i++; return arr; }
                    throw Error("expected ',' or ']'");
                }
            }

            private string ParseString()
            {
                _i++; // opening quote
                StringBuilder sb = null;
                int run = _i;
                while (true)
                {
                    if (_i >= _s.Length) throw Error("unterminated string");
                    char c = _s[_i];
                    if (c == '"')
                    {
                        string tail = _s.Substring(run, _i - run);
                        _i++;
                        return sb == null ? tail : sb.Append(tail).ToString();
                    }
                    if (c < 0x20) throw Error("control character in string");
                    if (c != '\\') { _i++; continue; }
                    if (sb == null) sb = new StringBuilder();
                    sb.Append(_s, run, _i - run);
                    _i++;
                    if (_i >= _s.Length) throw Error("unterminated escape");
                    char e = _s[_i++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u': sb.Append(ParseHex4()); break;
                        default: throw Error("bad escape \\" + e);
                    }
                    run = _i;
                }
            }

            private char ParseHex4()
            {
                if (_i + 4 > _s.Length) throw Error("short \\u escape");
                int v = 0;
                for (int k = 0; k < 4; k++)
                {
                    char h = _s[_i++];
                    int d = h >= '0' && h <= '9' ? h - '0'
                          : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (d < 0) throw Error("bad hex digit in \\u escape");
                    v = v * 16 + d;
                }
                return (char)v; // surrogate pairs arrive as two escapes and combine in the string
            }

            private JsonValue ParseNumber()
            {
                int start = _i;
                if (_s[_i] == '-') _i++;
                if (_i >= _s.Length) throw Error("bad number");
                if (_s[_i] == '0') _i++;
                else if (_s[_i] >= '1' && _s[_i] <= '9') { while (_i < _s.Length && IsDigit(_s[_i])) _i++; }
                else throw Error("bad number");
                if (_i < _s.Length && _s[_i] == '.')
                {
                    _i++;
                    if (_i >= _s.Length || !IsDigit(_s[_i])) throw Error("bad fraction");
                    while (_i < _s.Length && IsDigit(_s[_i])) _i++;
                }
                if (_i < _s.Length && (_s[_i] == 'e' || _s[_i] == 'E'))
                {
                    _i++;
                    if (_i < _s.Length && (_s[_i] == '+' || _s[_i] == '-')) _i++;
                    if (_i >= _s.Length || !IsDigit(_s[_i])) throw Error("bad exponent");
                    while (_i < _s.Length && IsDigit(_s[_i])) _i++;
                }
                return new JsonValue(JsonKind.Number) { _text = _s.Substring(start, _i - start) };
            }

            private static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
        }
    }
}
