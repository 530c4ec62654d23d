using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>A server the harness can start: where its built entry point is and which protocol its clients speak.</summary>
/// <param name="Name">The short name used on the command line.</param>
/// <param name="Title">The column heading.</param>
/// <param name="Assembly">The entry assembly, relative to the repository root, with {0} for the configuration.</param>
/// <param name="Protocol">What its clients speak.</param>
internal sealed record ServerKind(string Name, string Title, string Assembly, WireProtocolKind Protocol)
{
    public static ServerKind Switchboard { get; } = new("switchboard", "Switchboard", "samples/Chat/bin/{0}/net10.0/Switchboard.Samples.Chat.dll", WireProtocolKind.Chat);

    public static ServerKind Kestrel { get; } = new("kestrel", "raw Kestrel", "bench/Baselines/RawKestrel/bin/{0}/net10.0/Switchboard.Bench.RawKestrel.dll", WireProtocolKind.Chat);

    public static ServerKind SignalR { get; } = new("signalr", "SignalR", "bench/Baselines/SignalR/bin/{0}/net10.0/Switchboard.Bench.SignalR.dll", WireProtocolKind.SignalR);

    public static IReadOnlyList<ServerKind> All { get; } = [Switchboard, Kestrel, SignalR];

    public static ServerKind Parse(string name) =>
        All.FirstOrDefault(kind => string.Equals(kind.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown server {name}; known: {string.Join(", ", All.Select(kind => kind.Name))}.");
}
