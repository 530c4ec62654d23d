using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.LoadGen;
using Switchboard.Bench.Run;

if (args.FirstOrDefault() == "capacity")
{
    // Issue 6's capacity scenario has its own options and table: bench/Run/CapacityRun.cs.
    return await CapacityRun.MainAsync(args[1..], RepositoryRoot());
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(RunOptions.Usage);
    return 0;
}

RunOptions options;
try
{
    options = RunOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(RunOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var root = RepositoryRoot();
var logs = Path.Combine(Path.GetTempPath(), "switchboard-bench", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(logs);
Console.WriteLine($"Scenarios {string.Join(", ", options.Scenarios)} against {string.Join(", ", options.Servers.Select(s => s.Title))}; server logs in {logs}");

var loadBefore = LoadAverage();
var results = new Dictionary<(Scenario, ServerKind), ScenarioResult>();
var total = Stopwatch.StartNew();
foreach (var scenario in options.Scenarios)
{
    foreach (var kind in options.Servers)
    {
        // A fresh process for every scenario, so that one scenario's heap does not flatter or burden the next.
        var assembly = Path.Combine(root, string.Format(CultureInfo.InvariantCulture, kind.Assembly, options.Configuration));
        // bench/switchboard.hocon turns Switchboard's per-connection rate limit off: closed-loop clients exceed any human rate.
        var environment = new Dictionary<string, string>(options.ServerEnvironment) { ["SWITCHBOARD_CONFIG"] = Path.Combine(root, "bench", "switchboard.hocon") };
        await using var server = await ServerProcess.StartAsync(assembly, Path.Combine(logs, $"{kind.Name}-{scenario}.log".ToLowerInvariant()), environment, cancel.Token);
        Console.WriteLine($"== {scenario} on {kind.Title} (pid {server.Pid}, port {server.Port})");

        // Warm the server up (JIT, pools, the first connections) before anything is measured.
        await LoadRunner.RunAsync(
            new LoadOptions { Scenario = Scenario.Echo, Targets = [server.Address], Protocol = kind.Protocol, Clients = 16, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(2) },
            cancellationToken: cancel.Token);

        var result = await LoadRunner.RunAsync(options.Load(scenario, server, kind), cancellationToken: cancel.Token);
        results[(scenario, kind)] = result;
        Console.Write(result.Describe());
    }
}

// Client and servers share this machine's cores; anything else running skews the figures, so say how busy it was.
var table = ResultTable.Render(options.Servers, results, options)
    + $"{Environment.NewLine}Load average (1, 5, 15 min) before the run: {loadBefore}; after: {LoadAverage()}; {Environment.ProcessorCount} cores.{Environment.NewLine}";
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine($"({total.Elapsed.TotalMinutes:F1} minutes)");
if (options.MarkdownFile is { } file)
{
    await File.WriteAllTextAsync(file, table);
}

return 0;

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the harness from inside the repository (no Actors.sln above it).");
}
