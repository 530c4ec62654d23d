using System.Globalization;

namespace Switchboard.Bench.Run;

/// <summary>What both of the harness's commands (the scenarios and <c>capacity</c>) need around their runs.</summary>
internal static class Harness
{
    /// <summary>
    /// Prints <paramref name="usage"/> for <c>--help</c> (exit code 0), or parses the arguments; a wrong argument prints
    /// the reason and the usage (exit code 2). Returns null when the command should exit with <paramref name="exitCode"/>.
    /// </summary>
    public static T? Parse<T>(IReadOnlyList<string> args, string usage, Func<IReadOnlyList<string>, T> parse, out int exitCode)
        where T : class
    {
        exitCode = 0;
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(usage);
            return null;
        }

        try
        {
            return parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            exitCode = 2;
            return null;
        }
    }

    /// <summary>A source cancelled by Ctrl+C, so that servers and load generators are stopped on the way out.</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }

    /// <summary>A fresh folder for this run's server and load-generator logs, under /tmp/switchboard-bench/.</summary>
    public static string LogsDirectory()
    {
        var logs = Path.Combine(Path.GetTempPath(), "switchboard-bench", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(logs);
        return logs;
    }

    /// <summary>The 1, 5 and 15 minute load averages: the client and servers share the cores, so a table says how busy they were.</summary>
    public static string LoadAverage()
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

    /// <summary>The servers' environment for the chosen garbage collector (<c>default</c>, <c>server</c>, <c>workstation</c>).</summary>
    public static IReadOnlyDictionary<string, string> GcEnvironment(string gc) => gc switch
    {
        "server" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" },
        "workstation" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" },
        _ => new Dictionary<string, string>(),
    };

    /// <summary>The repository's root: the first folder above the harness that holds Actors.sln.</summary>
    public static string RepositoryRoot()
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
}
