using System.Globalization;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>How a server is started.</summary>
internal enum ServerRuntime
{
    /// <summary><c>dotnet app.dll --urls ...</c>.</summary>
    Dotnet,

    /// <summary>Debian's <c>/usr/bin/daphne</c> serving bench/Baselines/Channels' ASGI application.</summary>
    Daphne,
}

/// <summary>A server the harness can start: how, which protocol its clients speak, and how several of its nodes share rooms.</summary>
/// <param name="Name">The short name used on the command line.</param>
/// <param name="Title">The column heading.</param>
/// <param name="Path">Relative to the repository root: the entry assembly, with {0} for the configuration (.NET), or the project folder (Daphne).</param>
/// <param name="Protocol">What its clients speak.</param>
/// <param name="Runtime">How it is started.</param>
/// <param name="MultiNode">How N nodes share rooms (Akka cluster, Redis); null when the server has no multi-node form.</param>
internal sealed record ServerKind(string Name, string Title, string Path, WireProtocolKind Protocol, ServerRuntime Runtime, string? MultiNode)
{
    public static ServerKind Switchboard { get; } = new(
        "switchboard", "Switchboard", "samples/Chat/bin/{0}/net10.0/Switchboard.Samples.Chat.dll", WireProtocolKind.Chat, ServerRuntime.Dotnet, "an Akka cluster");

    public static ServerKind Kestrel { get; } = new(
        "kestrel", "raw Kestrel", "bench/Baselines/RawKestrel/bin/{0}/net10.0/Switchboard.Bench.RawKestrel.dll", WireProtocolKind.Chat, ServerRuntime.Dotnet, null);

    public static ServerKind SignalR { get; } = new(
        "signalr", "SignalR", "bench/Baselines/SignalR/bin/{0}/net10.0/Switchboard.Bench.SignalR.dll", WireProtocolKind.SignalR, ServerRuntime.Dotnet, "its Redis backplane");

    public static ServerKind Channels { get; } = new(
        "channels", "Channels", "bench/Baselines/Channels", WireProtocolKind.Chat, ServerRuntime.Daphne, "its Redis layer");

    public static IReadOnlyList<ServerKind> All { get; } = [Switchboard, Kestrel, SignalR, Channels];

    /// <summary>A .NET server's entry assembly as built in <paramref name="configuration"/> under the repository's <paramref name="root"/>.</summary>
    public string AssemblyPath(string root, string configuration) =>
        System.IO.Path.Combine(root, string.Format(CultureInfo.InvariantCulture, Path, configuration));

    /// <summary>Whether the server can run as <paramref name="nodes"/> nodes.</summary>
    public bool Supports(int nodes) => nodes == 1 || MultiNode is not null;

    /// <summary>Whether <paramref name="nodes"/> nodes of it need a redis-server: Channels' layer always, SignalR's backplane across nodes.</summary>
    public bool NeedsRedis(int nodes) => Runtime == ServerRuntime.Daphne || (nodes > 1 && this == SignalR);

    /// <summary>Whether starting it needs what bench/install.sh installs (Daphne, Channels, redis-server).</summary>
    public bool NeedsInstall(int nodes) => NeedsRedis(nodes);

    public static ServerKind Parse(string name) =>
        All.FirstOrDefault(kind => string.Equals(kind.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown server {name}; known: {string.Join(", ", All.Select(kind => kind.Name))}.");
}
