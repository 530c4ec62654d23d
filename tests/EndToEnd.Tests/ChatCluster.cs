using System.Net;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Hosting;
using Switchboard.Samples.Chat;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// Three chat-sample nodes in this process, each a Kestrel host on its own loopback port and an Akka cluster node,
/// started with the same command-line options the README gives (<c>--urls</c>, <c>--akka-seeds</c>).
/// </summary>
public sealed class ChatCluster : IAsyncLifetime
{
    private readonly List<WebApplication> _nodes = [];

    public IReadOnlyList<WebApplication> Nodes => _nodes;

    public Uri WebSocketAddress(int node) => new UriBuilder(HttpAddress(node)) { Scheme = "ws" }.Uri;

    public Uri HttpAddress(int node) =>
        new(_nodes[node].Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    public Akka.Actor.ActorSystem System(int node) => _nodes[node].Services.GetRequiredService<SwitchboardNode>().System;

    public async Task InitializeAsync()
    {
        var first = await StartNodeAsync([]);
        var seed = Cluster.Get(first.Services.GetRequiredService<SwitchboardNode>().System).SelfAddress.ToString();
        await StartNodeAsync(["--akka-seeds", seed]);
        await StartNodeAsync(["--akka-seeds", seed]);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!_nodes.All(n => Cluster.Get(n.Services.GetRequiredService<SwitchboardNode>().System).State.Members.Count(m => m.Status == MemberStatus.Up) == 3))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The three chat nodes did not form a cluster in 30 s.");
            }

            await Task.Delay(100);
        }
    }

    public async Task StopNodeAsync(int node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _nodes[node].StopAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await node.StopAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Already stopped by the test.
            }

            await node.DisposeAsync();
        }
    }

    private async Task<WebApplication> StartNodeAsync(string[] extra)
    {
        var app = ChatHost.Build(["--urls", $"http://{IPAddress.Loopback}:0", .. extra]);
        await app.StartAsync();
        _nodes.Add(app);
        return app;
    }
}
