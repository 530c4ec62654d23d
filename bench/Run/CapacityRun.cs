using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>
/// Issue 6's capacity scenario: as many idle connections as one node holds, opened by several load-generator
/// processes (each under the 20,000 open files a process may have here), then an echo on every one of them.
/// </summary>
internal static class CapacityRun
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromMinutes(10);

    public static async Task<int> MainAsync(string[] args, string root)
    {
        if (Harness.Parse(args, CapacityOptions.Usage, CapacityOptions.Parse, out var exitCode) is not { } options)
        {
            return exitCode;
        }

        using var cancel = Harness.CancelOnCtrlC();
        var cancellationToken = cancel.Token;
        var logs = Harness.LogsDirectory();
        Console.WriteLine($"Capacity: {options.Connections} connections in rooms of {options.RoomSize} from {options.ProcessCount} load generators, " +
            $"against {string.Join(", ", options.Servers.Select(s => s.Title))}; logs in {logs}");
        var loadBefore = Harness.LoadAverage();
        var results = new List<CapacityResult>();
        foreach (var kind in options.Servers)
        {
            var result = await RunAsync(options, kind, root, logs, cancellationToken);
            results.Add(result);
            Console.WriteLine(Describe(result));
        }

        var table = CapacityTable.Render(results, options)
            + (Collector.Describe(options.Servers, root, options.Configuration, Harness.GcEnvironment(options.Gc)) is { } collectors ? Environment.NewLine + collectors + Environment.NewLine : "")
            + $"{Environment.NewLine}Load average (1, 5, 15 min) before the run: {loadBefore}; after: {Harness.LoadAverage()}; {Environment.ProcessorCount} cores.{Environment.NewLine}";
        Console.WriteLine();
        Console.WriteLine(table);
        if (options.MarkdownFile is { } file)
        {
            await File.WriteAllTextAsync(file, table, cancellationToken);
        }

        return results.All(r => r.Answered == options.Connections && r.Errors == 0) ? 0 : 1;
    }

    private static async Task<CapacityResult> RunAsync(CapacityOptions options, ServerKind kind, string root, string logs, CancellationToken cancellationToken)
    {
        var assembly = kind.AssemblyPath(root, options.Configuration);
        var environment = new Dictionary<string, string>(Harness.GcEnvironment(options.Gc)) { ["SWITCHBOARD_CONFIG"] = Path.Combine(root, "bench", "switchboard.hocon") };
        await using var server = await ServerProcess.StartAsync(assembly, Path.Combine(logs, $"{kind.Name}-capacity.log"), environment, cancellationToken);
        Console.WriteLine($"== capacity on {kind.Title} (pid {server.Pid}, port {server.Port})");

        await LoadRunner.RunAsync(
            new LoadOptions { Scenario = Scenario.Echo, Targets = [server.Address], Protocol = kind.Protocol, Clients = 16, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(2) },
            cancellationToken: cancellationToken);
        var rssBefore = ServerMemory.ResidentBytes(server.Pid);

        var loadGen = Path.Combine(root, "bench", "LoadGen", "bin", options.Configuration, "net10.0", "Switchboard.Bench.LoadGen.dll");
        var processes = new List<LoadGenProcess>();
        var errors = 0L;
        var samples = new List<string>();
        try
        {
            var connecting = Stopwatch.StartNew();
            for (var i = 0; i < options.ProcessCount; i++)
            {
                processes.Add(LoadGenProcess.Start(loadGen, Arguments(options, kind, server, i), Path.Combine(logs, $"{kind.Name}-capacity-loadgen-{i}.log")));
            }

            // Each reports once it has connected all it could (a handshake gives up after 30 s).
            var reports = await Task.WhenAll(processes.Select(p => Settle(p.Connected.WaitAsync(ConnectLimit, cancellationToken))));
            connecting.Stop();
            var connected = reports.Sum(r => r.Value.Connected);
            Console.WriteLine($"   {connected} of {options.Connections} connected in {connecting.Elapsed.TotalSeconds:F1} s; holding {options.Hold.TotalSeconds:F0} s");

            await Task.Delay(options.Hold, cancellationToken);
            var rssHeld = ServerMemory.ResidentBytes(server.Pid);
            var files = OpenFiles(server.Pid);
            var mappings = MemoryMappings(server.Pid);

            var echoing = Stopwatch.StartNew();
            foreach (var process in processes)
            {
                await process.EchoAsync();
            }

            var finished = await Task.WhenAll(processes.Select(p => Settle(p.Result.WaitAsync(options.ReplyTimeout + StopTimeout, cancellationToken))));
            echoing.Stop();
            foreach (var failure in reports.Select(r => r.Error).Concat(finished.Select(r => r.Error)).OfType<string>())
            {
                errors++;
                samples.Add(failure);
            }

            var ok = finished.Where(r => r.Value is not null).Select(r => r.Value!).ToList();
            errors += ok.Sum(r => r.Errors);
            samples.AddRange(ok.SelectMany(r => r.ErrorSamples));
            return new CapacityResult
            {
                Server = kind,
                Target = options.Connections,
                Processes = options.ProcessCount,
                Connected = connected,
                Answered = ok.Sum(r => r.Answered ?? 0),
                Errors = errors,
                ErrorSamples = [.. samples.Take(5)],
                // The load generators connect side by side; the slowest one's own connecting time leaves out process start-up.
                ConnectSeconds = ok.Count == processes.Count ? ok.Max(r => r.ConnectSeconds) : connecting.Elapsed.TotalSeconds,
                EchoSeconds = echoing.Elapsed.TotalSeconds,
                EchoMaxMs = ok.Count > 0 ? ok.Max(r => r.Latency.Max) : 0,
                RssBefore = rssBefore,
                RssHeld = rssHeld,
                RssAfter = ServerMemory.ResidentBytes(server.Pid),
                PeakRss = ServerMemory.PeakResidentBytes(server.Pid),
                ServerFiles = files,
                ServerMappings = mappings,
                ServerFileLimit = FileLimit(server.Pid),
            };
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static IEnumerable<string> Arguments(CapacityOptions options, ServerKind kind, ServerProcess server, int index) =>
    [
        "--scenario", "idle", "--coordinate", "--json",
        "--targets", server.Address.ToString(),
        "--protocol", kind.Protocol.ToString().ToLowerInvariant(),
        "--clients", options.ConnectionsOf(index).ToString(CultureInfo.InvariantCulture),
        "--room-size", options.RoomSize.ToString(CultureInfo.InvariantCulture),
        "--bind", options.BindOf(index),
        "--connect-concurrency", options.ConnectConcurrency.ToString(CultureInfo.InvariantCulture),
        "--reply-timeout", options.ReplyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
    ];

    private static async Task<(T? Value, string? Error)> Settle<T>(Task<T> task)
    {
        try
        {
            return (await task, null);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or System.Text.Json.JsonException or InvalidDataException)
        {
            return (default, $"load generator: {e.Message}");
        }
    }

    private static string Describe(CapacityResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"   held {r.Connected}/{r.Target} ({r.ConnectRate:F0}/s), answered {r.Answered}, errors {r.Errors}; server RSS {Mib(r.RssBefore)} -> {Mib(r.RssHeld)} MiB ")
        + string.Create(CultureInfo.InvariantCulture, $"({r.BytesPerConnection / 1024:F1} KiB per connection), peak {Mib(r.PeakRss)} MiB, {r.ServerFiles} files open (limit {r.ServerFileLimit}); echo took {r.EchoSeconds:F1} s, slowest {r.EchoMaxMs:F0} ms")
        + string.Concat(r.ErrorSamples.Select(s => $"{Environment.NewLine}   error: {s}"));

    private static string Mib(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "?";

    private static int? OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? MemoryMappings(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/maps").Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FileLimit(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            return line?["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
