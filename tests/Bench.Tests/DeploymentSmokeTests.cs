using Switchboard.Bench.LoadGen;
using Switchboard.Bench.Run;

namespace Switchboard.Bench.Tests;

/// <summary>
/// bench/Run's deployments at a tiny size: the servers started as separate processes by the harness's own code,
/// as <c>bench/run.sh --nodes 2</c> does, then a second of fan-out with clients spread over the nodes. Asserts that
/// the nodes share their rooms (every message reached every member, whichever node it is on) and that nothing was
/// lost, never timings. One subclass per server, so that xUnit runs them side by side.
/// </summary>
public abstract class DeploymentSmokeTests
{
    private protected abstract ServerKind Kind { get; }

    [Fact]
    public async Task FanOut_TwoNodes_EveryMemberOnEitherNodeGetsEveryMessage()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var logs = Directory.CreateTempSubdirectory("switchboard-bench-test-");
        try
        {
            await using var deployment = await Deployment.StartAsync(Kind, 2, Settings(logs.FullName), timeout.Token);
            Assert.Equal(2, deployment.Targets.Distinct().Count());
            await NodeProbe.WaitUntilConnectedAsync(deployment, timeout.Token);

            var fanOut = await LoadRunner.RunAsync(
                new LoadOptions
                {
                    Scenario = Scenario.FanOut,
                    Targets = deployment.Targets,
                    Protocol = Kind.Protocol,
                    Clients = 6,
                    // The room is new: on Switchboard its members reach the other node by gossip (about 0.5 s), and a
                    // warm-up message lost meanwhile holds the closed loop for the reply timeout. Neither is measured here.
                    Warmup = TimeSpan.FromSeconds(3),
                    ReplyTimeout = TimeSpan.FromSeconds(1),
                    Duration = TimeSpan.FromSeconds(1),
                    ServerPid = deployment.First.Pid,
                    CpuPids = deployment.Pids,
                },
                cancellationToken: timeout.Token);

            Assert.True(fanOut.Errors == 0 && fanOut.Connected == 6, fanOut.Describe());
            Assert.True(fanOut.Sent > 0 && fanOut.Expected == 6 * fanOut.Sent, fanOut.Describe());
            Assert.True(fanOut.Lost == 0 && fanOut.OutOfOrder == 0, fanOut.Describe());
            Assert.True(deployment.ResidentBytes() > fanOut.RssAfter, "the deployment's memory is the sum over its processes");
            // Both nodes, and the Redis they share where they need one, are in the servers' CPU figure.
            Assert.Equal(Kind.NeedsRedis(2) ? 3 : 2, deployment.Pids.Distinct().Count());
            Assert.True(fanOut.ServerCpuSeconds > 0, fanOut.Describe());
        }
        finally
        {
            logs.Delete(recursive: true);
        }
    }

    private static DeploymentSettings Settings(string logs)
    {
        var (root, configuration) = BuiltServers();
        return new DeploymentSettings(root, configuration, Path.Combine(logs, "server"), new Dictionary<string, string>());
    }

    /// <summary>The repository's root, and the configuration its servers are built in for this test project.</summary>
    internal static (string Root, string Configuration) BuiltServers()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Actors.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("No Actors.sln above the test assembly.");
        }

        // The servers this test project references are built in its own configuration.
#if DEBUG
        return (root, "Debug");
#else
        return (root, "Release");
#endif
    }
}

/// <summary>Two chat-sample nodes in one Akka cluster on loopback.</summary>
public sealed class SwitchboardClusterSmokeTests : DeploymentSmokeTests
{
    private protected override ServerKind Kind => ServerKind.Switchboard;
}

/// <summary>Two SignalR hubs on one Redis backplane.</summary>
public sealed class SignalRRedisSmokeTests : DeploymentSmokeTests
{
    private protected override ServerKind Kind => ServerKind.SignalR;
}

/// <summary>
/// Two Daphnes serving the Channels tutorial's consumer on one Redis channel layer: checks the Python baseline and
/// its settings. Needs bench/install.sh's Debian packages (.ci/run installs them); without them it fails, saying so.
/// </summary>
public sealed class ChannelsSmokeTests : DeploymentSmokeTests
{
    public ChannelsSmokeTests() =>
        Assert.True(File.Exists("/usr/bin/daphne") && File.Exists("/usr/bin/redis-server"), "Daphne and redis-server are missing: run bench/install.sh.");

    private protected override ServerKind Kind => ServerKind.Channels;
}
