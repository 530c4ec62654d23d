using System.Globalization;

namespace Switchboard.Bench.Run;

/// <summary>The capacity scenario's options (<c>bench/run.sh capacity ...</c>).</summary>
internal sealed record CapacityOptions
{
    public const string Usage = """
        bench/run.sh capacity [options]: issue 6's capacity scenario. Starts each server on its own, then several
        load-generator processes (a process may not open more than 20,000 files here) that together open N idle
        connections to it, each from its own 127.0.0.x source addresses; once all are connected and held, reads the
        server's resident set, then every connection sends one message to its room and must get it back.

          --servers switchboard,kestrel,signalr  which servers (default all three)
          --connections N       connections held on the one server (default 19000)
          --processes K         load-generator processes (default: one per 6,500 connections)
          --room-size N         clients per room (default 10)
          --hold S              seconds held, all connected, before the server's memory is read (default 10)
          --connect-concurrency N  handshakes in flight per process (default 32)
          --reply-timeout S     how long the echo after the hold may take (default 60)
          --gc default|server|workstation  the servers' garbage collector (default: as built, server GC)
          --markdown FILE       also write the table to FILE
        """;

    /// <summary>Connections one load-generator process opens at most by default: well under its 20,000 open files.</summary>
    public const int ConnectionsPerProcess = 6500;

    public IReadOnlyList<ServerKind> Servers { get; init; } = [.. ServerKind.All.Where(kind => kind.Runtime == ServerRuntime.Dotnet)];

    public int Connections { get; init; } = 19000;

    public int? Processes { get; init; }

    public int RoomSize { get; init; } = 10;

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(10);

    public int ConnectConcurrency { get; init; } = 32;

    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Gc { get; init; } = "default";

    public string? MarkdownFile { get; init; }

    public string Configuration { get; init; } = "Release";

    public int ProcessCount => Processes ?? Math.Max(1, (Connections + ConnectionsPerProcess - 1) / ConnectionsPerProcess);

    /// <summary>Connections of process <paramref name="index"/>: the total split as evenly as whole rooms allow.</summary>
    public int ConnectionsOf(int index)
    {
        var rooms = (Connections + RoomSize - 1) / RoomSize;
        var first = rooms * index / ProcessCount * RoomSize;
        var last = Math.Min(Connections, rooms * (index + 1) / ProcessCount * RoomSize);
        return Math.Max(0, last - first);
    }

    /// <summary>Process <paramref name="index"/>'s source addresses: four of its own, 127.0.0.(2 + 4 index) on.</summary>
    public string BindOf(int index) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.{2 + (4 * index)}-127.0.0.{5 + (4 * index)}");

    public static CapacityOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CapacityOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--servers" => options with { Servers = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseDotnetServer)] },
                "--connections" or "--capacity-connections" => options with { Connections = Positive(value) },
                "--processes" => options with { Processes = Positive(value) },
                "--room-size" => options with { RoomSize = Positive(value) },
                "--hold" => options with { Hold = Seconds(value) },
                "--connect-concurrency" => options with { ConnectConcurrency = Positive(value) },
                "--reply-timeout" => options with { ReplyTimeout = Seconds(value) },
                "--gc" => options with { Gc = value is "default" or "server" or "workstation" ? value : throw new ArgumentException($"Unknown collector {value}.") },
                "--markdown" => options with { MarkdownFile = value },
                "--configuration" => options with { Configuration = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.ProcessCount > 60)
        {
            throw new ArgumentException("At most 60 load-generator processes (their source addresses stay within 127.0.0.2-127.0.0.245).");
        }

        return options;
    }

    private static int Positive(string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new ArgumentException($"{value} is not a positive number.");
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

    /// <summary>The capacity scenario runs the .NET servers: one Daphne process is far from any connection limit first.</summary>
    private static ServerKind ParseDotnetServer(string name)
    {
        var kind = ServerKind.Parse(name);
        return kind.Runtime == ServerRuntime.Dotnet
            ? kind
            : throw new ArgumentException($"The capacity scenario runs the .NET servers only ({string.Join(", ", ServerKind.All.Where(k => k.Runtime == ServerRuntime.Dotnet).Select(k => k.Name))}), not {kind.Name}.");
    }
}
