using System.Globalization;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>Where a deployment finds its programs and puts its logs, and what every server process gets in its environment.</summary>
/// <param name="Root">The repository root.</param>
/// <param name="Configuration">The .NET build configuration (Release).</param>
/// <param name="LogPrefix">Log files are this plus <c>-node1.log</c>, <c>-redis.log</c>, ...</param>
/// <param name="Environment">Extra environment for every .NET server (the collector).</param>
internal sealed record DeploymentSettings(string Root, string Configuration, string LogPrefix, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// One server kind as N nodes, each its own process on a free 127.0.0.1 port, plus the redis-server they share when
/// they need one: Switchboard's nodes form one Akka cluster (the first is the seed), SignalR's hubs share its Redis
/// backplane, Channels' Daphnes share its Redis layer. Stopped nodes first, Redis last.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    private const string Daphne = "/usr/bin/daphne";
    private const string RedisServer = "/usr/bin/redis-server";
    private readonly List<ServerProcess> _nodes = [];
    private ServerProcess? _redis;

    private Deployment(ServerKind kind) => Kind = kind;

    public ServerKind Kind { get; }

    /// <summary>The nodes' WebSocket base addresses; the load generator puts client i on node i mod N.</summary>
    public IReadOnlyList<Uri> Targets => [.. _nodes.Select(node => node.Address)];

    /// <summary>The first node's process (the only one on one node): the idle scenario's memory is read from it.</summary>
    public ServerProcess First => _nodes[0];

    /// <summary>Every process of the deployment, nodes and Redis: what the servers' CPU figures add up.</summary>
    public IReadOnlyList<int> Pids => [.. Processes.Select(process => process.Pid)];

    /// <summary>The nodes that are .NET processes (every node but Daphne's): those whose collections can be watched.</summary>
    public IReadOnlyList<int> DotnetPids => Kind.Runtime == ServerRuntime.Dotnet ? [.. _nodes.Select(node => node.Pid)] : [];

    /// <summary>What was started, for a person: pids and ports.</summary>
    public string Describe() =>
        string.Join(", ", _nodes.Select(node => $"pid {node.Pid} port {node.Port}"))
        + (_redis is { } redis ? $"; redis-server pid {redis.Pid} port {redis.Port}" : "");

    /// <summary>The resident set summed over every process of the deployment, Redis included; null when one cannot be read.</summary>
    public long? ResidentBytes() => Sum(ServerMemory.ResidentBytes);

    /// <summary>The peak resident sets (VmHWM) summed the same way.</summary>
    public long? PeakResidentBytes() => Sum(ServerMemory.PeakResidentBytes);

    public static async Task<Deployment> StartAsync(ServerKind kind, int nodes, DeploymentSettings settings, CancellationToken cancellationToken = default)
    {
        if (!kind.Supports(nodes))
        {
            throw new ArgumentException($"{kind.Title} has no multi-node form.", nameof(nodes));
        }

        var deployment = new Deployment(kind);
        try
        {
            if (kind.NeedsRedis(nodes))
            {
                var port = ServerProcess.FreePort();
                // No snapshots, no append-only file: a throwaway Redis for one run, as Channels' tutorial starts one.
                deployment._redis = await ServerProcess.StartAsync(
                    RedisServer, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                    Path.GetTempPath(), port, $"{settings.LogPrefix}-redis.log", new Dictionary<string, string>(), cancellationToken);
            }

            var seedPort = 0;
            for (var node = 1; node <= nodes; node++)
            {
                var log = nodes == 1 ? $"{settings.LogPrefix}.log" : $"{settings.LogPrefix}-node{node}.log";
                var port = ServerProcess.FreePort();
                var akkaPort = ServerProcess.FreePort();
                seedPort = node == 1 ? akkaPort : seedPort;
                deployment._nodes.Add(await deployment.StartNodeAsync(nodes, settings, port, akkaPort, seedPort, log, cancellationToken));
            }
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }

        return deployment;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private Task<ServerProcess> StartNodeAsync(int nodes, DeploymentSettings settings, int port, int akkaPort, int seedPort, string log, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(settings.Environment);
        var redis = _redis is { } r ? $"127.0.0.1:{r.Port}" : null;
        if (Kind.Runtime == ServerRuntime.Daphne)
        {
            environment["CHANNELS_REDIS_URL"] = $"redis://{redis}";
            environment["PYTHONDONTWRITEBYTECODE"] = "1";
            // Daphne imports chatbench.asgi from its working directory; -v 0 keeps the access log quiet.
            return ServerProcess.StartAsync(
                Daphne, ["-v", "0", "-b", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "chatbench.asgi:application"],
                Path.Combine(settings.Root, Kind.Path), port, log, environment, cancellationToken);
        }

        var assembly = Kind.AssemblyPath(settings.Root, settings.Configuration);
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built; run bench/run.sh, which builds it in Release.", assembly);
        }

        List<string> arguments = [assembly, "--urls", $"http://127.0.0.1:{port}"];
        if (Kind == ServerKind.Switchboard)
        {
            // bench/switchboard.hocon turns the per-connection rate limit off: closed-loop clients exceed any human rate.
            environment["SWITCHBOARD_CONFIG"] = Path.Combine(settings.Root, "bench", "switchboard.hocon");
            if (nodes > 1)
            {
                // docs/cluster.md's recipe: every node on its own remoting port, the first one the seed of all.
                arguments.AddRange(["--akka-port", akkaPort.ToString(CultureInfo.InvariantCulture), "--akka-seeds", $"akka.tcp://switchboard@127.0.0.1:{seedPort}"]);
            }
        }
        else if (Kind == ServerKind.SignalR && redis is not null)
        {
            environment["SIGNALR_REDIS"] = redis;
        }

        return ServerProcess.StartAsync("dotnet", arguments, Path.GetDirectoryName(assembly)!, port, log, environment, cancellationToken);
    }

    /// <summary>The nodes, then Redis when there is one.</summary>
    private IEnumerable<ServerProcess> Processes => _nodes.Append(_redis).OfType<ServerProcess>();

    private long? Sum(Func<int?, long?> read)
    {
        long total = 0;
        foreach (var process in Processes)
        {
            if (read(process.Pid) is not { } bytes)
            {
                return null;
            }

            total += bytes;
        }

        return total;
    }
}
