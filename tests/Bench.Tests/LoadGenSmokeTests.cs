using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Bench.LoadGen;
using Switchboard.Bench.RawKestrel;
using Switchboard.Bench.SignalR;
using Switchboard.Samples.Chat;

namespace Switchboard.Bench.Tests;

/// <summary>
/// The harness's code, run for a second at a tiny size against a server started in this process. Timings are not
/// asserted (they are not tests); only that messages went round and none were lost. One subclass per server, so
/// that xUnit runs them side by side.
/// </summary>
public abstract class LoadGenSmokeTests
{
    private const string Url = "http://127.0.0.1:0";

    protected abstract WireProtocolKind Protocol { get; }

    [Fact]
    public async Task EchoAndFanOut_TinyRun_DeliverEverythingSent()
    {
        // --urls with port 0: the OS picks a free port, so the servers' smoke tests never collide (or meet a real server).
        await using var host = Build(["--urls", Url]);
        await host.StartAsync();
        try
        {
            var bound = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.NotEqual(0, new Uri(bound).Port);
            var target = new Uri(bound.Replace("http://", "ws://", StringComparison.Ordinal) + "/");
            var options = new LoadOptions
            {
                Targets = [target],
                Protocol = Protocol,
                Warmup = TimeSpan.FromMilliseconds(200),
                Duration = TimeSpan.FromSeconds(1),
                ServerPid = Environment.ProcessId,
            };

            var echo = await LoadRunner.RunAsync(options with { Scenario = Scenario.Echo, Clients = 2 });
            AssertDeliveredAll(echo);
            Assert.InRange(echo.WarmupSeconds!.Value, 0.19, 1.5);
            Assert.Null(echo.JitSettled);

            // Settling: the window opens once this process's tiering thread has been quiet for 2 s, or at the limit.
            var settled = await LoadRunner.RunAsync(options with { Scenario = Scenario.Echo, Clients = 2, SettleLimit = TimeSpan.FromSeconds(2.5) });
            AssertDeliveredAll(settled);
            Assert.NotNull(settled.JitSettled);
            Assert.InRange(settled.WarmupSeconds!.Value, 0.2 + JitActivity.QuietSeconds - 0.05, 0.2 + 2.5 + 1.5);
            Assert.Contains("warm-up", settled.Describe(), StringComparison.Ordinal);

            var fanOut = await LoadRunner.RunAsync(options with { Scenario = Scenario.FanOut, Clients = 3, Duration = TimeSpan.FromMilliseconds(500) });
            AssertDeliveredAll(fanOut);
            Assert.Equal(3 * fanOut.Sent, fanOut.Expected);

            // A wave: more clients connect during chat's window, in rooms of their own, and are closed with the rest.
            var waved = await LoadRunner.RunAsync(options with { Scenario = Scenario.Chat, Clients = 4, RoomSize = 2, Rate = 10, Wave = 6 });
            AssertDeliveredAll(waved);
            Assert.Equal((6, 6), (waved.Wave, waved.WaveConnected));
            Assert.True(waved.WaveRate > 0, waved.Describe());
            Assert.Contains("6/6 connected during the window", waved.Describe(), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    protected abstract WebApplication Build(string[] args);

    private static void AssertDeliveredAll(ScenarioResult result)
    {
        Assert.True(result.Errors == 0, result.Describe());
        Assert.True(result.Connected == result.Clients, result.Describe());
        Assert.True(result.Delivered > 0, result.Describe());
        Assert.True(result.Lost == 0 && result.OutOfOrder == 0, result.Describe());
        Assert.NotNull(result.RssHeld);
        // The server is this process here, so both CPU figures read it: each is some time, never more than the window on every core.
        Assert.True(result.ServerCpuSeconds > 0 && result.ServerCpuPerDelivery > 0, result.Describe());
        Assert.True(result.LoadGenCpuSeconds > 0 && result.LoadGenCores <= Environment.ProcessorCount + 0.5, result.Describe());
    }
}

public sealed class SwitchboardChatSmokeTests : LoadGenSmokeTests
{
    protected override WireProtocolKind Protocol => WireProtocolKind.Chat;

    // As bench/Run does: the per-connection rate limit is off for closed-loop clients (bench/switchboard.hocon).
    protected override WebApplication Build(string[] args) => ChatHost.Build([.. args, "--SWITCHBOARD_CONFIG", BenchConfig]);

    private static string BenchConfig
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
                {
                    return Path.Combine(directory.FullName, "bench", "switchboard.hocon");
                }
            }

            throw new InvalidOperationException("No Actors.sln above the test assembly.");
        }
    }
}

public sealed class RawKestrelSmokeTests : LoadGenSmokeTests
{
    protected override WireProtocolKind Protocol => WireProtocolKind.Chat;

    protected override WebApplication Build(string[] args) => RawKestrelHost.Build(args);
}

public sealed class SignalRSmokeTests : LoadGenSmokeTests
{
    protected override WireProtocolKind Protocol => WireProtocolKind.SignalR;

    protected override WebApplication Build(string[] args) => SignalRHost.Build(args);
}
