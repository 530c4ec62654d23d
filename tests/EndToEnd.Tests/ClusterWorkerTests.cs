using System.Net;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;
using Switchboard.Gateway;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// Workers across a cluster: a web node without the worker role hands jobs to the <c>thumbnails</c> channel, which a
/// node started with <c>--akka-roles worker</c> serves (Channels' runworker); the result comes back to the socket.
/// </summary>
[Collection("cluster")]
public sealed class ClusterWorkerTests : IAsyncLifetime
{
    private readonly List<WebApplication> _nodes = [];

    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        [ScopeTypes.WebSocket] = new UrlRouter { Routes.Path("ws/jobs/", Consumer.Of<JobConsumer>()) },
        [ScopeTypes.Channel] = new ChannelNameRouter { ["thumbnails"] = Consumer.Of<ThumbnailWorker>() },
    };

    public async Task InitializeAsync()
    {
        var web = await StartAsync([]);
        var seed = Cluster.Get(web.Services.GetRequiredService<SwitchboardNode>().System).SelfAddress.ToString();
        await StartAsync(["--akka-seeds", seed, "--akka-roles", "worker"]);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendAsync_ToWorkerChannelFromAWebNode_IsProcessedOnceByTheWorkerNode()
    {
        var address = new Uri(_nodes[0].Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("http", "ws", StringComparison.Ordinal) + "/");
        await using var client = await WebSocketClient.ConnectAsync(address, "ws/jobs/");

        // The worker's registration reaches the web node by gossip: retry the first job until it is served.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string? reply = null;
        while (reply is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "No worker answered within 15 s.");
            await client.SendTextAsync("warm-up");
            reply = await client.ReceiveTextAsync(TimeSpan.FromMilliseconds(300));
        }

        while (await client.ReceiveTextAsync(TimeSpan.FromMilliseconds(500)) is not null)
        {
        }

        for (var i = 0; i < 10; i++)
        {
            await client.SendTextAsync($"image-{i}");
        }

        var replies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            replies.Add(await client.ReceiveTextAsync() ?? "(nothing)");
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"thumbnail of image-{i} made on a worker node"), replies);
        Assert.True(await client.ReceivesNothingAsync(TimeSpan.FromMilliseconds(300)));
    }

    private async Task<WebApplication> StartAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://{IPAddress.Loopback}:0");
        builder.Services.AddSwitchboard(Application);
        var app = builder.Build();
        app.MapSwitchboard();
        await app.StartAsync();
        _nodes.Add(app);
        return app;
    }

    public sealed record MakeThumbnail(string Image, string ReplyTo) : IChannelMessage;

    public sealed record ThumbnailMade(string Text) : IChannelMessage;

    public sealed class JobConsumer : WebSocketConsumer
    {
        public JobConsumer() => Handle<ThumbnailMade>(made => SendAsync(made.Text));

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
            ChannelLayer.SendAsync("thumbnails", new MakeThumbnail(text ?? "", ChannelName));
    }

    public sealed class ThumbnailWorker : ChannelConsumer
    {
        public ThumbnailWorker()
        {
            var roles = Cluster.Get(Context.System).SelfRoles;
            Handle<MakeThumbnail>(job => ChannelLayer.SendAsync(job.ReplyTo,
                new ThumbnailMade($"thumbnail of {job.Image} made on {(roles.Contains("worker") ? "a worker node" : "a web node")}")));
        }
    }
}
