using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// Three chat nodes as separate processes; one is killed with SIGKILL. The split brain resolver downs and removes it,
/// the survivors keep delivering to their own clients throughout, and a client of the dead node reconnects to a
/// survivor and rejoins its room. An observer actor system in the test process watches cluster membership.
/// </summary>
[Collection("cluster")]
public sealed class ClusterCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<NodeProcess> _nodes = [];
    private ActorSystem? _observer;

    public async Task InitializeAsync()
    {
        var first = NodeProcess.Start(seed: null);
        _nodes.Add(first);
        _nodes.Add(NodeProcess.Start(first.AkkaAddress));
        _nodes.Add(NodeProcess.Start(first.AkkaAddress));
        await Task.WhenAll(_nodes.Select(n => n.WaitReadyAsync(TimeSpan.FromSeconds(60))));

        // The observer takes the nodes' own cluster.hocon: if it becomes the cluster's leader, its split brain resolver
        // settings decide when the killed node is downed.
        _observer = ActorSystem.Create("switchboard", ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = ERROR
              stdout-loglevel = ERROR
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
              cluster {
                seed-nodes = ["{{first.AkkaAddress}}"]
                roles = [observer]
              }
            }
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.hocon")))));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Cluster.Get(_observer).State.Members.Count(m => m.Status == MemberStatus.Up) < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "The three nodes and the observer did not form a cluster within 30 s.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        if (_observer is not null)
        {
            await _observer.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Crash_NodeKilled_IsRemovedAndSurvivorsKeepDeliveringAndItsClientRejoinsElsewhere()
    {
        await using var one = await WebSocketClient.ConnectAsync(_nodes[0].WebSocketAddress, "ws/chat/crash/");
        await using var two = await WebSocketClient.ConnectAsync(_nodes[1].WebSocketAddress, "ws/chat/crash/");
        var three = await WebSocketClient.ConnectAsync(_nodes[2].WebSocketAddress, "ws/chat/crash/");
        await ClusterChatTests.MembershipVisibleAsync(one, two, three);

        var removed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var victim = Address.Parse(_nodes[2].AkkaAddress);
        var clock = Stopwatch.StartNew();
        _observer!.ActorOf(Props.Create(() => new RemovalWatcher(victim, clock, removed)));

        _nodes[2].Kill();
        Assert.Equal(1006, await three.ReceiveCloseCodeAsync(TimeSpan.FromSeconds(10)));
        await three.DisposeAsync();

        // The survivors keep delivering to their own clients while the dead node is detected and removed.
        var sent = 0;
        while (!removed.Task.IsCompleted)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The killed node was not removed within 60 s.\nnode 1:\n{_nodes[0].Output}");
            await one.SendJsonAsync(new { message = $"during-{sent}" });
            Assert.Equal($"during-{sent}", await two.ReceiveChatMessageAsync());
            Assert.Equal($"during-{sent}", await one.ReceiveChatMessageAsync());
            sent++;
            await Task.Delay(100);
        }

        output.WriteLine($"killed node removed after {(await removed.Task).TotalSeconds:0.0} s; {sent} messages delivered meanwhile");

        // Its client reconnects to a survivor and rejoins its room.
        await using var back = await WebSocketClient.ConnectAsync(_nodes[0].WebSocketAddress, "ws/chat/crash/");
        await ClusterChatTests.MembershipVisibleAsync(two, back);
        await two.SendJsonAsync(new { message = "welcome back" });
        Assert.Equal("welcome back", await back.ReceiveChatMessageAsync());
    }

    private sealed class RemovalWatcher : ReceiveActor
    {
        public RemovalWatcher(Address victim, Stopwatch clock, TaskCompletionSource<TimeSpan> removed)
        {
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
            Receive<ClusterEvent.MemberRemoved>(e =>
            {
                if (e.Member.Address == victim)
                {
                    removed.TrySetResult(clock.Elapsed);
                }
            });
        }
    }
}
