using System.Globalization;
using System.Net;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>What one harness run measures, against which servers, at which size.</summary>
internal sealed record RunOptions
{
    public const string Usage = """
        bench/run.sh [options]: builds in Release, starts each server as its own process, runs the scenarios
        against each, stops it, and prints a table of figures and ratios against each baseline.

          --scenarios echo,fanout,chat,idle    which scenarios (default all four)
          --servers switchboard,kestrel,signalr which servers (default all three; the first is compared)
          --duration S          measured seconds per scenario (default 10)
          --warmup S            unmeasured seconds before each (default 2)
          --echo-clients N      echo: clients, each in its own room (default 64)
          --fanout-clients N    fan-out: clients in the one room (default 200)
          --chat-rooms N        chat: rooms (default 50)
          --chat-room-size N    chat: clients per room (default 10)
          --chat-rate R         chat: messages a second per client (default 2)
          --idle-connections N  idle: connections held (default 2000)
          --idle-hold S         idle: seconds held before measuring memory (default 5)
          --idle-room-size N    idle: clients per room (default 10)
          --bind A-B,...        client source addresses (default: the OS picks)
          --gc default|server|workstation  the servers' garbage collector (default: as built, server GC)
          --quick               a smoke-sized run: 3 s, small sizes
          --markdown FILE       also write the table to FILE

        bench/run.sh capacity --help: issue 6's capacity scenario (19,000 idle connections on one node).
        """;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = [Scenario.Echo, Scenario.FanOut, Scenario.Chat, Scenario.Idle];

    public IReadOnlyList<ServerKind> Servers { get; init; } = ServerKind.All;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int EchoClients { get; init; } = 64;

    public int FanOutClients { get; init; } = 200;

    public int ChatRooms { get; init; } = 50;

    public int ChatRoomSize { get; init; } = 10;

    public double ChatRate { get; init; } = 2;

    public int IdleConnections { get; init; } = 2000;

    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(5);

    public int IdleRoomSize { get; init; } = 10;

    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    public string Gc { get; init; } = "default";

    public string? MarkdownFile { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>The load for <paramref name="scenario"/> against one server.</summary>
    public LoadOptions Load(Scenario scenario, ServerProcess server, ServerKind kind) => new()
    {
        Scenario = scenario,
        Targets = [server.Address],
        Protocol = kind.Protocol,
        SourceAddresses = SourceAddresses,
        ServerPid = server.Pid,
        Warmup = Warmup,
        Duration = scenario == Scenario.Idle ? IdleHold : Duration,
        Clients = scenario switch
        {
            Scenario.Echo => EchoClients,
            Scenario.FanOut => FanOutClients,
            Scenario.Chat => ChatRooms * ChatRoomSize,
            _ => IdleConnections,
        },
        RoomSize = scenario switch
        {
            Scenario.Echo => 1,
            Scenario.FanOut => FanOutClients,
            Scenario.Chat => ChatRoomSize,
            _ => IdleRoomSize,
        },
        Rate = ChatRate,
    };

    /// <summary>The servers' environment for the chosen collector.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment => Gc switch
    {
        "server" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" },
        "workstation" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" },
        _ => new Dictionary<string, string>(),
    };

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                options = options with
                {
                    Duration = TimeSpan.FromSeconds(3), Warmup = TimeSpan.FromSeconds(1), EchoClients = 16, FanOutClients = 50,
                    ChatRooms = 10, IdleConnections = 200, IdleHold = TimeSpan.FromSeconds(1),
                };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--scenarios" => options with { Scenarios = [.. List(value).Select(CommandLine.ParseScenario)] },
                "--servers" => options with { Servers = [.. List(value).Select(ServerKind.Parse)] },
                "--duration" => options with { Duration = Seconds(value) },
                "--warmup" => options with { Warmup = Seconds(value) },
                "--echo-clients" => options with { EchoClients = Int(value) },
                "--fanout-clients" => options with { FanOutClients = Int(value) },
                "--chat-rooms" => options with { ChatRooms = Int(value) },
                "--chat-room-size" => options with { ChatRoomSize = Int(value) },
                "--chat-rate" => options with { ChatRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--idle-connections" => options with { IdleConnections = Int(value) },
                "--idle-hold" => options with { IdleHold = Seconds(value) },
                "--idle-room-size" => options with { IdleRoomSize = Int(value) },
                "--bind" => options with { SourceAddresses = CommandLine.ParseAddresses(value) },
                "--gc" => options with { Gc = value is "default" or "server" or "workstation" ? value : throw new ArgumentException($"Unknown collector {value}.") },
                "--markdown" => options with { MarkdownFile = value },
                "--configuration" => options with { Configuration = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
