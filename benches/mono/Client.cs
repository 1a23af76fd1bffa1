// The Mono HttpClient client of the Xerial benchmark suite (issue 7): what a Unity programmer
// would write without the SDK. C# 7.2 (mcs), no async Main.
//
//   mono Client.exe BASE_URL ENDPOINT:IN_FLIGHT:REQUESTS ...      e.g. logout:64:20000
//
// One shared HttpClient; IN_FLIGHT async loops, each sending its next request when the previous
// answer (body read in full) came back. ServicePointManager's per-host connection limit (2 by
// default on Mono/.NET Framework) is raised to IN_FLIGHT, Expect: 100-continue and Nagle are
// off: without that, HttpClient cannot have more than 2 requests in flight. Each configuration
// runs a warm-up of max(2*IN_FLIGHT, 200) requests (JIT, connections) before the measured run.
// Prints `R load.mono.<endpoint>.<n>.<rps|p50_us|p99_us|errors|requests> value` lines.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

static class BenchClient
{
    static readonly byte[] LogoutBody =
        Encoding.UTF8.GetBytes("{\"refreshToken\":\"bench-refresh-token-unknown-to-the-server\"}");
    const string Address = "0x8e9DD3c1Db3254d968967CbC367542C343273629";

    static HttpClient http;
    static int issued;
    static int done;
    static int errors;
    static double[] latencies;

    static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Client.exe BASE_URL ENDPOINT:IN_FLIGHT:REQUESTS ...");
            return 2;
        }
        string baseUrl = args[0];
        ServicePointManager.DefaultConnectionLimit = 4096;
        ServicePointManager.Expect100Continue = false;
        ServicePointManager.UseNagleAlgorithm = false;
        http = new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        int status = 0;
        for (int a = 1; a < args.Length; a++)
        {
            string[] spec = args[a].Split(':');
            string endpoint = spec[0];
            int inflight = int.Parse(spec[1], CultureInfo.InvariantCulture);
            int total = int.Parse(spec[2], CultureInfo.InvariantCulture);
            bool logout = endpoint == "logout";
            string url = logout
                ? baseUrl + "/api/auth/logout"
                : baseUrl + "/api/wallet/" + Address + "/polygon/eth";
            int expect = logout ? 404 : 200;
            Run(url, logout, expect, inflight, Math.Max(2 * inflight, 200));
            double seconds = Run(url, logout, expect, inflight, total);
            string key = "R load.mono." + endpoint + "." + inflight.ToString(CultureInfo.InvariantCulture);
            if (seconds < 0)
            {
                Console.WriteLine(key + ".timed_out 1");
                status = 1;
                continue;
            }
            Array.Sort(latencies, 0, done);
            Console.WriteLine(key + ".rps " + (done / seconds).ToString("F1", CultureInfo.InvariantCulture));
            Console.WriteLine(key + ".p50_us " + Pct(50).ToString("F2", CultureInfo.InvariantCulture));
            Console.WriteLine(key + ".p99_us " + Pct(99).ToString("F2", CultureInfo.InvariantCulture));
            Console.WriteLine(key + ".errors " + errors.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine(key + ".requests " + done.ToString(CultureInfo.InvariantCulture));
        }
        return status;
    }

    static double Pct(double p)
    {
        if (done == 0) return 0;
        int rank = (int)Math.Round(p / 100.0 * (done - 1));
        return latencies[Math.Min(rank, done - 1)] * 1e6;
    }

    // Returns the elapsed seconds, or -1 when the run did not finish within 240 s.
    static double Run(string url, bool logout, int expect, int inflight, int total)
    {
        issued = 0;
        done = 0;
        errors = 0;
        latencies = new double[total];
        var loops = new Task[Math.Min(inflight, total)];
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < loops.Length; i++)
            loops[i] = Loop(url, logout, expect, total);
        if (!Task.WaitAll(loops, TimeSpan.FromSeconds(240))) return -1;
        return (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
    }

    static async Task Loop(string url, bool logout, int expect, int total)
    {
        while (Interlocked.Increment(ref issued) <= total)
        {
            long start = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                HttpResponseMessage response;
                if (logout)
                {
                    var content = new ByteArrayContent(LogoutBody);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    response = await http.PostAsync(url, content).ConfigureAwait(false);
                }
                else
                {
                    response = await http.GetAsync(url).ConfigureAwait(false);
                }
                using (response)
                {
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    ok = (int)response.StatusCode == expect;
                }
            }
            catch (Exception)
            {
                ok = false;
            }
            double latency = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            int slot = Interlocked.Increment(ref done) - 1;
            latencies[slot] = latency;
            if (!ok) Interlocked.Increment(ref errors);
        }
    }
}
