using System.Net;

namespace Switchboard.Bench.LoadGen;

/// <summary>One load run: a scenario, its size and where the clients connect from and to.</summary>
public sealed record LoadOptions
{
    /// <summary>What the clients do.</summary>
    public Scenario Scenario { get; init; } = Scenario.Echo;

    /// <summary>Server base addresses (<c>ws://host:port/</c>); client i connects to target i mod count.</summary>
    public IReadOnlyList<Uri> Targets { get; init; } = [new("ws://127.0.0.1:8000/")];

    /// <summary>The wire protocol.</summary>
    public WireProtocolKind Protocol { get; init; } = WireProtocolKind.Chat;

    /// <summary>Local addresses to bind client sockets to, round robin (for example 127.0.0.2); empty lets the OS choose.</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    /// <summary>Number of client connections.</summary>
    public int Clients { get; init; } = 64;

    /// <summary>Clients per room; 0 picks the scenario's own (echo 1, fan-out all, chat and idle 10).</summary>
    public int RoomSize { get; init; }

    /// <summary>Messages a second each client sends in the chat scenario.</summary>
    public double Rate { get; init; } = 5;

    /// <summary>How long the measured window lasts (for idle: how long the connections are held before the echo).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Traffic before the measured window, not counted.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How much longer than <see cref="Warmup"/> the warm-up may go on while the servers' tiered JIT is still
    /// recompiling hot code (read from their tiering threads, <see cref="JitActivity"/>): the window opens once it has
    /// been quiet for two seconds, or when this runs out. Zero (the default) opens it after <see cref="Warmup"/>.
    /// </summary>
    public TimeSpan SettleLimit { get; init; }

    /// <summary>How long a message may take before it is given up as lost (closed loops wait this long, then go on).</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Handshakes in flight at once.</summary>
    public int ConnectConcurrency { get; init; } = 32;

    /// <summary>The server's process id, for its resident set from /proc (idle scenario; reported by all).</summary>
    public int? ServerPid { get; init; }

    /// <summary>
    /// The server's processes (every node, and a Redis it relies on) whose processor time is read at both ends of the
    /// measured window; empty means <see cref="ServerPid"/> alone, when given.
    /// </summary>
    public IReadOnlyList<int> CpuPids { get; init; } = [];

    /// <summary>The processes whose processor time the window reads: <see cref="CpuPids"/>, else <see cref="ServerPid"/>.</summary>
    public IReadOnlyList<int> EffectiveCpuPids => CpuPids.Count > 0 ? CpuPids : ServerPid is { } pid ? [pid] : [];

    /// <summary>
    /// Chat: this many more clients connect while the measured window is open (a quarter of the way in), in rooms of
    /// their own, as a node's clients do when they reconnect to the others after it went down. They hold their
    /// connections without sending; the chat clients' latency shows what the wave costs them.
    /// </summary>
    public int Wave { get; init; }

    /// <summary>Extra characters appended to each message's text.</summary>
    public int PayloadPadding { get; init; }

    /// <summary>
    /// Idle: what to do while the connections are held, given how many connected and the errors so far, instead of
    /// waiting <see cref="Duration"/> (the capacity harness's barrier: several load generators against one server).
    /// </summary>
    public Func<int, long, CancellationToken, Task>? WhileHeld { get; init; }

    /// <summary>The room size the scenario uses.</summary>
    public int EffectiveRoomSize => RoomSize > 0
        ? Math.Min(RoomSize, Clients)
        : Scenario switch
        {
            Scenario.Echo => 1,
            Scenario.FanOut => Clients,
            _ => Math.Min(10, Clients),
        };
}
