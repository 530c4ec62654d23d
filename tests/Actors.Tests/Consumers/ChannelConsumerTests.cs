using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Consumers;
using Switchboard.Routing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// Worker consumers (Channels' <c>runworker</c>): started by the routing actor for a <c>channel</c> scope with no
/// transport, bound to the scope's named channel, handling what is sent to it one message at a time.
/// </summary>
public sealed class ChannelConsumerTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Fact]
    public async Task SendAsync_ToTheWorkersChannel_ReachesItsHandler()
    {
        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));

        await Layer.SendAsync("thumbnails", new Resize("cat.png", 64));

        await ExpectResizedAsync("cat.png", 64);
    }

    [Fact]
    public async Task Worker_ScopeAndChannelName_AreTheNamedChannel()
    {
        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));

        await Layer.SendAsync("thumbnails", new WhoAreYou());

        Assert.Equal("channel thumbnails thumbnails", await ExpectMsgAsync<string>(Timeout));
    }

    [Fact]
    public async Task SendAsync_SeveralMessages_AreHandledOneAtATimeInOrder()
    {
        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));

        await Layer.SendAsync("thumbnails", new Resize("slow.png", 1));
        await Layer.SendAsync("thumbnails", new Resize("fast.png", 2));

        Assert.Equal("start slow.png", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("resized slow.png to 1", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("start fast.png", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("resized fast.png to 2", await ExpectMsgAsync<string>(Timeout));
    }

    [Fact]
    public async Task SendAsync_BeforeTheWorkerStarted_IsHandedToItWhenItBinds()
    {
        await Layer.SendAsync("thumbnails", new Resize("early.png", 8));

        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));

        await ExpectResizedAsync("early.png", 8);
    }

    [Fact]
    public async Task Handle_ReplyChannelInTheMessage_WorkerAnswersThroughTheLayer()
    {
        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));
        var replies = await Layer.NewChannelAsync();

        await Layer.SendAsync("thumbnails", new Measure("dog.png", replies));

        using var cancel = new CancellationTokenSource(Timeout);
        Assert.Equal(new Measured("dog.png", 7), await Layer.ReceiveAsync(replies, cancel.Token));
    }

    [Fact]
    public async Task Handle_MessageWithNoHandler_IsDroppedAndTheWorkerKeepsWorking()
    {
        await StartWorkerAsync(Consumer.Of<ThumbnailWorker>(TestActor));

        await Layer.SendAsync("thumbnails", "not a job");
        await Layer.SendAsync("thumbnails", new Resize("after.png", 16));

        await ExpectResizedAsync("after.png", 16);
        await LoggedAsync(LogLevel.Warning, e => e.Message.Contains("System.String", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_HandlerThrows_WorkerStopsAndTheChannelCanBeServedAgain()
    {
        var router = Sys.ActorOf(RoutingActor.Props(Consumer.Of<ThumbnailWorker>(TestActor)));
        var worker = await StartWorkerAsync(router);

        await Layer.SendAsync("thumbnails", new Resize("broken.png", -1));

        await ExpectTerminatedAsync(worker, Timeout);
        var entry = await LoggedAsync(LogLevel.Error, e => e.Error is ArgumentOutOfRangeException);
        Assert.Contains("(channel thumbnails)", entry.Message, StringComparison.Ordinal);
        await StartWorkerAsync(router);
        await Layer.SendAsync("thumbnails", new Resize("fixed.png", 32));
        await FishForMessageAsync(m => m is "resized fixed.png to 32", Timeout);
    }

    [Fact]
    public async Task ChannelNameRouter_NamedChannel_StartsItsWorker()
    {
        var application = new ChannelNameRouter { ["thumbnails"] = Consumer.Of<ThumbnailWorker>(TestActor) };
        await StartWorkerAsync(application);

        await Layer.SendAsync("thumbnails", new Resize("routed.png", 4));

        await ExpectResizedAsync("routed.png", 4);
    }

    [Fact]
    public async Task Worker_ChannelScopeWithoutAName_FailsToStart()
    {
        var router = Sys.ActorOf(RoutingActor.Props(Consumer.Of<ThumbnailWorker>(TestActor)));

        var opened = await router.Ask<ConnectionOpened>(new OpenConnection(new ConnectionScope { Type = ScopeTypes.Channel }, null), Timeout);

        Watch(opened.Consumer);
        await ExpectTerminatedAsync(opened.Consumer, Timeout);
        await LoggedAsync(LogLevel.Error, e => e.Error?.GetBaseException().Message.StartsWith("A channel consumer needs", StringComparison.Ordinal) == true);
    }

    private async Task ExpectResizedAsync(string image, int size)
    {
        Assert.Equal($"start {image}", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal($"resized {image} to {size}", await ExpectMsgAsync<string>(Timeout));
    }

    private Task<IActorRef> StartWorkerAsync(IApplication application) => StartWorkerAsync(Sys.ActorOf(RoutingActor.Props(application)));

    private async Task<IActorRef> StartWorkerAsync(IActorRef router)
    {
        var scope = new ConnectionScope { Type = ScopeTypes.Channel, Channel = "thumbnails" };
        var opened = await router.Ask<ConnectionOpened>(new OpenConnection(scope, Transport: null), Timeout);
        Watch(opened.Consumer);
        return opened.Consumer;
    }

    private sealed record Resize(string Image, int Size);

    private sealed record Measure(string Image, string ReplyTo);

    private sealed record Measured(string Image, int Length);

    private sealed record WhoAreYou;

    private sealed class ThumbnailWorker : ChannelConsumer
    {
        public ThumbnailWorker(IActorRef probe)
        {
            Handle<Resize>(async resize =>
            {
                ArgumentOutOfRangeException.ThrowIfNegative(resize.Size);
                probe.Tell($"start {resize.Image}");
                await Task.Delay(resize.Image == "slow.png" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero);
                probe.Tell($"resized {resize.Image} to {resize.Size}");
            });
            Handle<Measure>(measure => ChannelLayer.SendAsync(measure.ReplyTo, new Measured(measure.Image, measure.Image.Length)));
            Handle<WhoAreYou>(_ => probe.Tell($"{Scope.Type} {Scope.Channel} {ChannelName}"));
        }
    }
}
