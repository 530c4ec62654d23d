using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.LoadGen;
using Switchboard.Bench.Run;

if (args.FirstOrDefault() == "capacity")
{
    // Issue 6's capacity scenario has its own options and table: bench/Run/CapacityRun.cs.
    return await CapacityRun.MainAsync(args[1..], Harness.RepositoryRoot());
}

if (Harness.Parse(args, RunOptions.Usage, RunOptions.Parse, out var exitCode) is not { } options)
{
    return exitCode;
}

using var cancel = Harness.CancelOnCtrlC();

var root = Harness.RepositoryRoot();
var logs = Harness.LogsDirectory();
Console.WriteLine($"Cases {string.Join(", ", options.Cases)} against {string.Join(", ", options.Servers.Select(s => s.Title))}; server logs in {logs}");
await Prerequisites.EnsureAsync(root, options, cancel.Token);

var loadBefore = Harness.LoadAverage();
var results = new Dictionary<(RunCase, ServerKind), List<Measurement>>();
var total = Stopwatch.StartNew();
foreach (var run in options.Cases)
{
    // Every round of a case before the next case, so that the rounds compared with each other ran close in time.
    foreach (var (round, kind) in from round in Enumerable.Range(1, options.Rounds) from kind in options.ServerOrder(run.Nodes, round) select (round, kind))
    {
        // Fresh processes for every case, so that one scenario's heap does not flatter or burden the next.
        var settings = new DeploymentSettings(root, options.Configuration, Path.Combine(logs, $"{kind.Name}-{run}".ToLowerInvariant().Replace('@', '-')), options.ServerEnvironment);
        await using var deployment = await Deployment.StartAsync(kind, run.Nodes, settings, cancel.Token);
        var of = options.Rounds > 1 ? $", round {round} of {options.Rounds}" : "";
        Console.WriteLine($"== {run.Scenario}{(run.Rate > 0 ? $" at {run.Rate.ToString(CultureInfo.InvariantCulture)} msg/s" : "")} on {kind.Title}{(run.Nodes > 1 ? $", {run.Nodes} nodes on {kind.MultiNode}" : "")}{of} ({deployment.Describe()})");
        var probes = await NodeProbe.WaitUntilConnectedAsync(deployment, cancel.Token);
        if (probes > 1)
        {
            Console.WriteLine($"   the nodes carried messages between them after {probes} probe rounds");
        }

        // Warm the servers up (JIT, pools, the first connections) before anything is measured.
        await LoadRunner.RunAsync(
            new LoadOptions { Scenario = Scenario.Echo, Targets = deployment.Targets, Protocol = kind.Protocol, Clients = 16, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(2) },
            cancellationToken: cancel.Token);

        var gc = GcPauseMonitor.Start(deployment.DotnetPids);
        ScenarioResult result;
        await using (gc)
        {
            result = await LoadRunner.RunAsync(options.Load(run, deployment.Targets, kind, deployment.First.Pid, deployment.Pids), cancellationToken: cancel.Token);
        }

        // What could hold up a measured message: a pause while it was sent or in flight, so until the window's end plus the
        // longest any measured message took (one sent as the window closed arrives that much later).
        var pauses = gc.Between(result.WindowStartUtc, result.WindowStartUtc + TimeSpan.FromSeconds(result.WindowSeconds) + TimeSpan.FromMilliseconds(result.Latency.Max));
        var measurement = new Measurement(result, deployment.ResidentBytes(), deployment.PeakResidentBytes(), pauses);
        if (!results.TryGetValue((run, kind), out var rounds))
        {
            results[(run, kind)] = rounds = [];
        }

        rounds.Add(measurement);
        Console.Write(result.Describe());
        if (pauses is not null)
        {
            Console.WriteLine($"  GC pauses    {pauses.Count} in the window, {pauses.Total.TotalMilliseconds:F1} ms in all, longest {pauses.Longest.TotalMilliseconds:F1} ms");
        }
        if (run.Nodes > 1 || kind.NeedsRedis(run.Nodes))
        {
            Console.WriteLine($"  all processes RSS after {measurement.ResidentBytes / 1048576.0:F1} MiB, peak {measurement.PeakResidentBytes / 1048576.0:F1} MiB (the line above is the first node's)");
        }
    }
}

// Client and servers share this machine's cores; anything else running skews the figures, so say how busy it was.
var collectors = Collector.Describe(options.Servers, root, options.Configuration, options.ServerEnvironment);
var table = ResultTable.Render(options.Servers, results.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<Measurement>)pair.Value), options, collectors)
    + $"{Environment.NewLine}Load average (1, 5, 15 min) before the run: {loadBefore}; after: {Harness.LoadAverage()}; {Environment.ProcessorCount} cores.{Environment.NewLine}";
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine($"({total.Elapsed.TotalMinutes:F1} minutes)");
if (options.MarkdownFile is { } file)
{
    await File.WriteAllTextAsync(file, table);
}

return 0;
