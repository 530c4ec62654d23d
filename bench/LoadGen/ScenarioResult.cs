using System.Globalization;
using System.Text;

namespace Switchboard.Bench.LoadGen;

/// <summary>What one scenario run measured.</summary>
public sealed record ScenarioResult
{
    public Scenario Scenario { get; init; }

    public WireProtocolKind Protocol { get; init; }

    public string Targets { get; init; } = "";

    public int Clients { get; init; }

    public int Connected { get; init; }

    public int RoomSize { get; init; }

    /// <summary>Messages a second per client (chat only).</summary>
    public double? Rate { get; init; }

    public double ConnectSeconds { get; init; }

    public double WindowSeconds { get; init; }

    /// <summary>When the measured window opened, by the wall clock (for matching it with other processes' events).</summary>
    public DateTime WindowStartUtc { get; init; }

    /// <summary>Messages sent in the measured window.</summary>
    public long Sent { get; init; }

    /// <summary>Deliveries those messages owed: each one times its room's connected members.</summary>
    public long Expected { get; init; }

    /// <summary>Deliveries of messages sent in the window, received before the drain timed out.</summary>
    public long Delivered { get; init; }

    /// <summary>Deliveries that came twice or behind a later message from the same sender.</summary>
    public long OutOfOrder { get; init; }

    /// <summary>Failed connects, sends, unexpected closes and unexpected messages.</summary>
    public long Errors { get; init; }

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public LatencySummary Latency { get; init; } = new(0, 0, 0, 0, 0);

    public long? RssBefore { get; init; }

    /// <summary>The server's resident set with every client connected (for idle: after the hold), before traffic.</summary>
    public long? RssHeld { get; init; }

    public long? RssAfter { get; init; }

    public long? PeakRss { get; init; }

    /// <summary>Idle: clients whose echo came back after the hold.</summary>
    public int? Answered { get; init; }

    /// <summary>Processor time the server's processes (every node, and Redis where the server uses it) spent in the window, seconds.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>Processor time the load generator's process spent in the window, seconds.</summary>
    public double? LoadGenCpuSeconds { get; init; }

    /// <summary>How long the traffic ran before the window opened, seconds (null where there was no warm-up: idle).</summary>
    public double? WarmupSeconds { get; init; }

    /// <summary>Whether the servers' tiered JIT had gone quiet when the window opened; null when it was not waited for.</summary>
    public bool? JitSettled { get; init; }

    /// <summary>Chat: clients asked to connect during the window (<see cref="LoadOptions.Wave"/>); null without a wave.</summary>
    public int? Wave { get; init; }

    /// <summary>How many of the wave's clients connected.</summary>
    public int? WaveConnected { get; init; }

    /// <summary>How long the wave took to connect, seconds.</summary>
    public double? WaveSeconds { get; init; }

    /// <summary>The wave's connections a second.</summary>
    public double? WaveRate => WaveConnected is { } connected && WaveSeconds is > 0 and var seconds ? connected / seconds : null;

    public long Lost => Math.Max(0, Expected - Delivered);

    /// <summary>The servers' processor time per delivery in the window, microseconds: what a message costs them, whatever share of the cores they got.</summary>
    public double? ServerCpuPerDelivery => PerDelivery(ServerCpuSeconds);

    /// <summary>The load generator's processor time per delivery in the window, microseconds.</summary>
    public double? LoadGenCpuPerDelivery => PerDelivery(LoadGenCpuSeconds);

    /// <summary>Cores the servers kept busy on average through the window.</summary>
    public double? ServerCores => Cores(ServerCpuSeconds);

    /// <summary>Cores the load generator kept busy on average through the window.</summary>
    public double? LoadGenCores => Cores(LoadGenCpuSeconds);

    public double DeliveriesPerSecond => WindowSeconds > 0 ? Delivered / WindowSeconds : 0;

    public double ConnectRate => ConnectSeconds > 0 ? Connected / ConnectSeconds : 0;

    /// <summary>Growth of the server's resident set per connection while the connections were held.</summary>
    public double? BytesPerConnection => RssHeld is { } held && RssBefore is { } before && Connected > 0 ? (double)(held - before) / Connected : null;

    /// <summary>A few lines for a person.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"{Scenario} ({Protocol}) against {Targets}: {Connected}/{Clients} clients in rooms of {RoomSize}{(Rate is { } rate ? $", {rate} msg/s each" : "")}");
        text.AppendLine(inv, $"  connect      {ConnectRate:F0} connections/s ({ConnectSeconds:F2} s)");
        if (WarmupSeconds is { } warmup)
        {
            text.AppendLine(inv, $"  warm-up      {warmup:F1} s{JitSettled switch { true => " (the servers' JIT went quiet)", false => " (the servers' JIT was still compiling at the limit)", _ => "" }}");
        }

        if (Wave is { } wave)
        {
            text.AppendLine(inv, $"  wave         {WaveConnected}/{wave} connected during the window, {WaveRate:F0} connections/s ({WaveSeconds:F2} s)");
        }

        text.AppendLine(inv, $"  throughput   {DeliveriesPerSecond:F0} deliveries/s ({Delivered} in {WindowSeconds:F2} s; {Sent} sent)");
        text.AppendLine(inv, $"  latency ms   p50 {Latency.P50:F2}  p90 {Latency.P90:F2}  p99 {Latency.P99:F2}  max {Latency.Max:F2}");
        text.AppendLine(inv, $"  lost         {Lost} of {Expected}; out of order {OutOfOrder}; errors {Errors}");
        if (ServerCpuPerDelivery is { } serverCpu)
        {
            text.AppendLine(inv, $"  CPU          servers {serverCpu:F2} µs/delivery ({ServerCores:F2} cores), load generator {LoadGenCpuPerDelivery:F2} µs/delivery ({LoadGenCores:F2} cores)");
        }

        if (RssBefore is not null)
        {
            text.AppendLine(inv, $"  server RSS   before {Mib(RssBefore)} MiB, connected {Mib(RssHeld)} MiB, after {Mib(RssAfter)} MiB, peak {Mib(PeakRss)} MiB; {BytesPerConnection / 1024:F1} KiB per connection");
        }

        if (Answered is { } answered)
        {
            text.AppendLine(inv, $"  answered     {answered} of {Connected} connections echoed after the hold");
        }

        foreach (var sample in ErrorSamples)
        {
            text.AppendLine(inv, $"  error: {sample}");
        }

        return text.ToString();
    }

    private double? PerDelivery(double? seconds) => seconds is { } s && Delivered > 0 ? s * 1e6 / Delivered : null;

    private double? Cores(double? seconds) => seconds is { } s && WindowSeconds > 0 ? s / WindowSeconds : null;

    private static string Mib(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "?";
}
