// Sign-in through the C# binding (abi.md §9) against the offline server, which plays Google: the
// OpenUrlHandler hands the URL to a "browser" that follows the mock's consent page over plain
// HTTP (GET the page, POST the decision, follow the 302) on a thread-pool thread, as a real
// browser would while the game keeps polling. The real browser runs in tests/browser/.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xerial.Unity;

namespace Xerial.Tests
{
    public static class SignInTests
    {
        private const string ClientId = "1234-test.apps.googleusercontent.com";

        private static void Init()
        {
            XerialSettings settings = T.Settings();
            settings.OAuthAuthorizeUrl = T.Url + "/oauth/authorize";
            settings.OAuthTokenUrl = T.Url + "/oauth/token";
            XerialSdk.Initialize(settings);
        }

        private static GoogleSignInOptions Google(string redirectUri = null)
        {
            return new GoogleSignInOptions { ClientId = ClientId, RedirectUri = redirectUri };
        }

        /// <summary>The player decides on the consent page of <paramref name="authorizeUrl"/>: where the mock redirects.</summary>
        private static string Decide(string authorizeUrl, string decision)
        {
            Http.Reply page = Http.Send(authorizeUrl, "GET", "", null);
            T.Eq(200, page.Status, "consent page");
            string request = Regex.Match(page.Body, "name=\"request\" value=\"([^\"]*)\"").Groups[1].Value;
            string account = Regex.Match(page.Body, "id=\"account-0\" value=\"([^\"]*)\"").Groups[1].Value;
            string form = "request=" + Uri.EscapeDataString(request) + "&decision=" + decision + "&account=" + Uri.EscapeDataString(account);
            Http.Reply decided = Http.Send(T.Url + "/oauth/authorize", "POST", "Content-Type: application/x-www-form-urlencoded\r\n", form);
            T.Eq(302, decided.Status, "the decision redirects");
            return decided.Location;
        }

        /// <summary>A browser on another thread: decides, then follows the redirect to the game's listener.</summary>
        private static OpenUrlHandler Browser(string decision, List<string> pages)
        {
            return url => ThreadPool.QueueUserWorkItem(_ =>
            {
                try
                {
                    Http.Reply landed = Http.Send(Decide(url, decision), "GET", "", null);
                    lock (pages) pages.Add(landed.Status + " " + landed.Body);
                }
                catch (Exception e)
                {
                    lock (pages) pages.Add("browser failed: " + e);
                }
            });
        }

        public static void Register()
        {
            T.Case("signin: Google on desktop through the offline server's consent page; the player is signed in", () =>
            {
                Init();
                var pages = new List<string>();
                SessionSummary s = T.Await(XerialSdk.SignInWithGoogleAsync(Google(), Browser("allow", pages)));
                T.Check(s.AccessExpiresUtc.HasValue && !s.Json.Contains("token"), "summary " + s.Json);
                T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "logged in");
                T.Check(T.Await(XerialSdk.GetUserAsync()).Json.Length > 0, "GetUser");
                T.WaitUntil(() => { lock (pages) return pages.Count == 1; }, 10000, "the browser's page");
                T.Check(pages[0].StartsWith("200 ") && pages[0].Contains("You are signed in"), pages[0]);
            });

            T.Case("signin: Deny is Denied; the token cancels a waiting sign-in; only one waits at a time", () =>
            {
                Init();
                var pages = new List<string>();
                XerialException denied = T.ExpectError(XerialSdk.SignInWithGoogleAsync(Google(), Browser("deny", pages)), XerialCode.Denied);
                T.Check(denied.Message.StartsWith("access_denied"), denied.Message);
                var opened = new List<string>();
                var cts = new CancellationTokenSource();
                Task<SessionSummary> waiting = XerialSdk.SignInWithGoogleAsync(Google(), url => opened.Add(url), cts.Token);
                T.PollUntil(() => opened.Count == 1, 10000, "open_url");
                T.Check(opened[0].StartsWith(T.Url + "/oauth/authorize?response_type=code&"), opened[0]);
                T.ExpectError(XerialSdk.SignInWithBrowserWalletAsync(url => { }), XerialCode.InvalidArgument);
                cts.Cancel();
                T.PollUntil(() => waiting.IsCompleted, 10000, "the cancelled sign-in");
                T.Check(waiting.IsCanceled, "a cancelled Task, not " + waiting.Status);
            });

            T.Case("signin: the game's own redirect comes back through CompleteSignIn (the callback form)", () =>
            {
                Init();
                const string scheme = "com.example.xerialgame:/signin";
                string redirect = null;
                SessionSummary result = null;
                XerialException error = null;
                int calls = 0;
                XerialSdk.SignInWithGoogle(Google(scheme), url => ThreadPool.QueueUserWorkItem(_ => redirect = Decide(url, "allow")),
                    (value, e) => { calls++; result = value; error = e; });
                T.PollUntil(() => redirect != null, 10000, "the redirect");
                T.Check(redirect.StartsWith(scheme + "?code="), redirect);
                T.Eq(XerialCode.NotFound, XerialSdk.CompleteSignIn(scheme + "?code=x&state=forged"), "a foreign state");
                T.Eq(XerialCode.InvalidArgument, XerialSdk.CompleteSignIn("not a url"), "not a URL");
                T.Eq(XerialCode.Ok, XerialSdk.CompleteSignIn(redirect), "taken");
                T.Eq(XerialCode.NotFound, XerialSdk.CompleteSignIn(redirect), "one completion");
                T.PollUntil(() => calls > 0, 10000, "onDone");
                T.Check(error == null && result != null, "signed in: " + error);
                T.Eq(1, calls, "onDone once");
            });

            T.Case("signin: the browser wallet's page steps, posted as its script posts them", () =>
            {
                Init();
                string step = null;
                Task<SessionSummary> task = XerialSdk.SignInWithBrowserWalletAsync(url => ThreadPool.QueueUserWorkItem(_ =>
                {
                    Http.Reply page = Http.Send(url, "GET", "", null);
                    string origin = new Uri(url).GetLeftPart(UriPartial.Authority);
                    string headers = "Origin: " + origin + "\r\nContent-Type: application/json\r\n";
                    Http.Reply nonce = Http.Send(url + "address", "POST", headers, "{\"address\":\"" + Mock.RivalWallet + "\"}");
                    Http.Reply done = Http.Send(url + "signature", "POST", headers, "{\"signature\":\"0xok-csharp\"}");
                    step = page.Status + " " + nonce.Body + " " + done.Body;
                }));
                SessionSummary s = T.Await(task);
                T.Check(s.RefreshExpiresUtc.HasValue, "summary");
                T.WaitUntil(() => step != null, 10000, "the page's steps");
                T.Check(step.StartsWith("200 {\"nonce\":") && step.EndsWith("{\"ok\":true}"), step);
            });

            T.Case("signin: XerialSignIn (Unity) opens with Application.OpenURL and hands deep links over", () =>
            {
                Init();
                const string scheme = "com.example.xerialgame:/signin";
                string redirect = null;
                UnityEngine.Application.UrlOpened = url => ThreadPool.QueueUserWorkItem(_ => redirect = Decide(url, "allow"));
                try
                {
                    Task<SessionSummary> task = XerialSignIn.SignInWithGoogleAsync(Google(scheme));
                    T.PollUntil(() => redirect != null, 10000, "Application.OpenURL and the consent");
                    UnityEngine.Application.RaiseDeepLink("com.example.xerialgame:/unrelated?x=1"); // not the answer: ignored
                    UnityEngine.Application.RaiseDeepLink(redirect);
                    T.Await(task);
                    T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "logged in");
                }
                finally
                {
                    UnityEngine.Application.UrlOpened = null;
                }
            });
        }
    }

    /// <summary>One HTTP/1.1 exchange over a plain socket (what a browser would send; no proxy settings apply).</summary>
    public static class Http
    {
        public struct Reply
        {
            public int Status;
            public string Location;
            public string Body;
        }

        public static Reply Send(string url, string method, string headers, string body)
        {
            var uri = new Uri(url);
            using (var client = new TcpClient(uri.Host, uri.Port))
            {
                client.ReceiveTimeout = 20000;
                NetworkStream stream = client.GetStream();
                byte[] payload = Encoding.UTF8.GetBytes(body ?? "");
                string head = method + " " + uri.PathAndQuery + " HTTP/1.1\r\nHost: " + uri.Host + ":" + uri.Port +
                              "\r\nConnection: close\r\n" + headers + (body != null ? "Content-Length: " + payload.Length + "\r\n" : "") + "\r\n";
                byte[] h = Encoding.ASCII.GetBytes(head);
                stream.Write(h, 0, h.Length);
                stream.Write(payload, 0, payload.Length);
                var ms = new MemoryStream();
                stream.CopyTo(ms);
                string text = Encoding.UTF8.GetString(ms.ToArray());
                int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                string head2 = split < 0 ? text : text.Substring(0, split);
                Match location = Regex.Match(head2, @"^location: *(\S+)", RegexOptions.IgnoreCase | RegexOptions.Multiline);
                return new Reply
                {
                    Status = int.Parse(head2.Split(' ')[1]),
                    Location = location.Success ? location.Groups[1].Value : null,
                    Body = split < 0 ? "" : text.Substring(split + 4),
                };
            }
        }
    }
}
