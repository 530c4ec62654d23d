using System.Globalization;
using System.Net;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>What one harness run measures, against which servers, at which size.</summary>
internal sealed record RunOptions
{
    public const string Usage = """
        bench/run.sh [options]: builds in Release, starts each server as its own processes, runs the scenarios
        against each, stops it, and prints a table of figures and ratios against each baseline. Options apply in
        order (--quick then --fanout-clients 100 keeps the 100).

          --scenarios echo,fanout,chat,idle      which scenarios (default all four)
          --servers switchboard,kestrel,signalr,channels
                                (default all four; the first is compared with each other). channels
                                (Django Channels on Daphne, its Redis layer) needs bench/install.sh's Debian
                                packages; the harness runs it when they are missing
          --nodes 1,2,3         server processes per server (default 1,2,3). Echo, fan-out and chat run at each
                                count, clients spread over the nodes; idle at 1 only. Switchboard's nodes form an
                                Akka cluster, SignalR's share its Redis backplane, Channels' its Redis layer; raw
                                Kestrel has no multi-node form
          --duration S          measured seconds per scenario (default 10)
          --warmup S            unmeasured seconds before each (default 5; across nodes at least the reply
                                timeout and a second)
          --settle S            then up to S seconds more, until the servers' tiered JIT has been quiet for 2 s
                                (their tiering threads' CPU, read from /proc); the table shows each case's
                                warm-up (default 60; 0 measures right after --warmup)
          --rounds N            measure every case N times, the servers in turn (reversed every other round),
                                and report each server's median round and the spread (default 1)
          --reply-timeout S     how long after the window a delivery may still come before it counts as lost,
                                and how long a closed loop waits for a message (default 5)
          --echo-clients N      echo: clients, each in its own room (default 64)
          --fanout-clients N    fan-out: clients in the one room (default 1000)
          --chat-rooms N        chat: rooms (default 100)
          --chat-room-size N    chat: clients per room (default 10)
          --chat-rate R,R,...   chat: messages a second per client (default 5: 50,000 deliveries/s offered);
                                several rates run chat once at each, and the table adds latency against the
                                offered load (5,10,15: 50,000, 100,000 and 150,000 deliveries/s)
          --idle-connections N  idle: connections held (default 5000)
          --idle-hold S         idle: seconds held before measuring memory (default 5)
          --idle-room-size N    idle: clients per room (default 10)
          --padding N           extra characters in every message's text (default 0: texts of about 40
                                bytes); 1000 measures messages of about 1 KiB
          --wave N              chat: N more clients connect a quarter of the way into the window, in rooms of
                                their own, and hold without sending (a reconnect storm after a node's loss);
                                the table adds their connection rate (default 0: no wave)
          --bind A-B,...        client source addresses (default: the OS picks)
          --gc default|server|workstation  the .NET servers' garbage collector (default: as built, server GC)
          --server-env NAME=VALUE   an environment variable for every server process (repeatable), e.g.
                                DOTNET_GCDynamicAdaptationMode=0 to measure a runtime setting; the table
                                names it
          --quick               a smoke-sized run: 3 s, small sizes, 1 and 2 nodes
          --markdown FILE       also write the table to FILE

        bench/run.sh capacity --help: issue 6's capacity scenario (19,000 idle connections on one node).
        """;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = [Scenario.Echo, Scenario.FanOut, Scenario.Chat, Scenario.Idle];

    public IReadOnlyList<ServerKind> Servers { get; init; } = ServerKind.All;

    /// <summary>Node counts; echo, fan-out and chat run at each, idle at 1 (see <see cref="Cases"/>).</summary>
    public IReadOnlyList<int> Nodes { get; init; } = [1, 2, 3];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Unmeasured load before the window. Five seconds: under fan-out, the tiered JIT of a Switchboard node was still
    /// recompiling hot code (half the node's CPU in one second of perf samples) up to four seconds after its load began,
    /// SignalR's up to three (docs/benchmarks.md, "Warm-up and rounds"); a shorter warm-up measures compilation.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How much longer than <see cref="Warmup"/> a case may warm up while a server's tiered JIT is still recompiling
    /// hot code. Three fresh Switchboard nodes under chat on two shared cores kept their tiering threads busy for about
    /// 35 s, at a third of the nodes' CPU (docs/benchmarks.md, session 9); a window opened before that measures the
    /// compiler. The same rule holds for every server; one without a tiering thread (Daphne) is quiet at once.
    /// </summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times each case is measured, the servers taking turns (see <see cref="ServerOrder"/>).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>
    /// The warm-up on several nodes: at least the reply timeout and a second. A new room's members reach the other
    /// Switchboard nodes by gossip (about 0.5 s, docs/cluster.md); a warm-up message lost meanwhile holds a closed loop
    /// for the reply timeout, which must not run into the measured window.
    /// </summary>
    public TimeSpan CrossNodeWarmup => Warmup > ReplyTimeout + TimeSpan.FromSeconds(1) ? Warmup : ReplyTimeout + TimeSpan.FromSeconds(1);

    /// <summary>How long a delivery may be late before it counts as lost (the load generator's reply timeout).</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public int EchoClients { get; init; } = 64;

    public int FanOutClients { get; init; } = 1000;

    public int ChatRooms { get; init; } = 100;

    public int ChatRoomSize { get; init; } = 10;

    /// <summary>Messages a second per chat client: chat runs once at each rate (<see cref="Cases"/>).</summary>
    public IReadOnlyList<double> ChatRates { get; init; } = [5];

    public int IdleConnections { get; init; } = 5000;

    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(5);

    public int IdleRoomSize { get; init; } = 10;

    /// <summary>Characters added to every message's text (the load generator's <see cref="LoadOptions.PayloadPadding"/>).</summary>
    public int Padding { get; init; }

    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    public string Gc { get; init; } = "default";

    /// <summary>Chat: clients that connect during the window (the load generator's <see cref="LoadOptions.Wave"/>).</summary>
    public int Wave { get; init; }

    /// <summary>Variables from <c>--server-env</c>, set for every server process after the collector's.</summary>
    public IReadOnlyDictionary<string, string> ExtraServerEnvironment { get; init; } = new Dictionary<string, string>();

    public string? MarkdownFile { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>
    /// What the run measures, in order: every scenario on one node (chat at each of <see cref="ChatRates"/>), then
    /// echo, fan-out and chat on each larger count.
    /// </summary>
    public IReadOnlyList<RunCase> Cases =>
    [
        .. from nodes in Nodes.Order()
           from scenario in Scenarios
           where nodes == 1 || RunCase.CrossNode(scenario)
           from rate in scenario == Scenario.Chat ? ChatRates : [0]
           select new RunCase(scenario, nodes, rate),
    ];

    /// <summary>The deliveries a second chat offers at <paramref name="rate"/>: every message reaches its whole room.</summary>
    public double ChatOffered(double rate) => ChatRooms * ChatRoomSize * rate * ChatRoomSize;

    /// <summary>The servers that have a form on <paramref name="nodes"/> nodes (raw Kestrel runs on one only).</summary>
    public IEnumerable<ServerKind> ServersOn(int nodes) => Servers.Where(kind => kind.Supports(nodes));

    /// <summary>
    /// The order in which the servers on <paramref name="nodes"/> nodes are measured in round <paramref name="round"/>
    /// (from 1): as listed in odd rounds, reversed in even ones, so that no server is always measured first or last
    /// while the machine's load drifts.
    /// </summary>
    public IEnumerable<ServerKind> ServerOrder(int nodes, int round) => round % 2 == 1 ? ServersOn(nodes) : ServersOn(nodes).Reverse();

    /// <summary>
    /// The load of <paramref name="run"/> against a deployment's nodes: memory is read from
    /// <paramref name="serverPid"/>, processor time from every one of <paramref name="cpuPids"/>.
    /// </summary>
    public LoadOptions Load(RunCase run, IReadOnlyList<Uri> targets, ServerKind kind, int? serverPid, IReadOnlyList<int>? cpuPids = null) => new()
    {
        CpuPids = cpuPids ?? [],
        Scenario = run.Scenario,
        Targets = targets,
        Protocol = kind.Protocol,
        SourceAddresses = SourceAddresses,
        ServerPid = serverPid,
        Warmup = targets.Count > 1 ? CrossNodeWarmup : Warmup,
        SettleLimit = run.Scenario == Scenario.Idle ? TimeSpan.Zero : SettleLimit,
        ReplyTimeout = ReplyTimeout,
        Duration = run.Scenario == Scenario.Idle ? IdleHold : Duration,
        Clients = run.Scenario switch
        {
            Scenario.Echo => EchoClients,
            Scenario.FanOut => FanOutClients,
            Scenario.Chat => ChatRooms * ChatRoomSize,
            _ => IdleConnections,
        },
        RoomSize = run.Scenario switch
        {
            Scenario.Echo => 1,
            Scenario.FanOut => FanOutClients,
            Scenario.Chat => ChatRoomSize,
            _ => IdleRoomSize,
        },
        Rate = run.Scenario == Scenario.Chat ? run.Rate : ChatRates[0],
        PayloadPadding = Padding,
        Wave = run.Scenario == Scenario.Chat ? Wave : 0,
    };

    /// <summary>The servers' environment for the chosen collector.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment =>
        Harness.GcEnvironment(Gc).Concat(ExtraServerEnvironment).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value);

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
                    Duration = TimeSpan.FromSeconds(3), Warmup = TimeSpan.FromSeconds(1), SettleLimit = TimeSpan.FromSeconds(3), EchoClients = 16, FanOutClients = 50,
                    ChatRooms = 10, ChatRates = [2], IdleConnections = 200, IdleHold = TimeSpan.FromSeconds(1), Nodes = [1, 2],
                };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            try
            {
                options = Apply(options, name, value);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{name} {value}: {e.Message}", e);
            }
        }

        return options;
    }

    private static RunOptions Apply(RunOptions options, string name, string value) =>
        name switch
        {
            "--scenarios" => options with { Scenarios = [.. List(value).Select(CommandLine.ParseScenario)] },
            "--servers" => options with { Servers = [.. List(value).Select(ServerKind.Parse)] },
            "--nodes" => options with { Nodes = [.. List(value).Select(Int).Select(n => n is >= 1 and <= 16 ? n : throw new ArgumentException($"--nodes takes counts from 1 to 16, not {n}.")).Distinct()] },
            "--duration" => options with { Duration = Seconds(value) },
            "--warmup" => options with { Warmup = Seconds(value) },
            "--settle" => options with { SettleLimit = Seconds(value) },
            "--rounds" => options with { Rounds = Int(value) is >= 1 and <= 20 ? Int(value) : throw new ArgumentException($"--rounds takes a count from 1 to 20, not {value}.") },
            "--reply-timeout" => options with { ReplyTimeout = Seconds(value) },
            "--echo-clients" => options with { EchoClients = Int(value) },
            "--fanout-clients" => options with { FanOutClients = Int(value) },
            "--chat-rooms" => options with { ChatRooms = Int(value) },
            "--chat-room-size" => options with { ChatRoomSize = Int(value) },
            "--chat-rate" => options with { ChatRates = List(value).Select(Rate).Distinct().ToArray() is { Length: > 0 } rates ? rates : throw new ArgumentException("--chat-rate needs at least one rate.") },
            "--idle-connections" => options with { IdleConnections = Int(value) },
            "--idle-hold" => options with { IdleHold = Seconds(value) },
            "--idle-room-size" => options with { IdleRoomSize = Int(value) },
            "--padding" => options with { Padding = Int(value) is >= 0 and <= 1_000_000 ? Int(value) : throw new ArgumentException($"--padding takes 0 to 1000000 characters, not {value}.") },
            "--wave" => options with { Wave = Int(value) is >= 0 and <= 100_000 ? Int(value) : throw new ArgumentException($"--wave takes 0 to 100000 clients, not {value}.") },
            "--bind" => options with { SourceAddresses = CommandLine.ParseAddresses(value) },
            "--gc" => options with { Gc = value is "default" or "server" or "workstation" ? value : throw new ArgumentException($"Unknown collector {value}.") },
            "--server-env" => options with { ExtraServerEnvironment = WithVariable(options.ExtraServerEnvironment, value) },
            "--markdown" => options with { MarkdownFile = value },
            "--configuration" => options with { Configuration = value },
            _ => throw new ArgumentException($"Unknown option {name}."),
        };

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> before, string assignment)
    {
        var equals = assignment.IndexOf('=');
        if (equals <= 0)
        {
            throw new ArgumentException($"--server-env takes NAME=VALUE, not {assignment}.");
        }

        return new Dictionary<string, string>(before) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static double Rate(string value) => double.Parse(value, CultureInfo.InvariantCulture) is > 0 and <= 1000 and var rate
        ? rate
        : throw new ArgumentException($"--chat-rate takes rates above 0 and up to 1000 messages a second, not {value}.");

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
