using System.Collections.Concurrent;
using Akka.Actor;
using DeadLetter = Akka.Event.DeadLetter;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// Declared groups: joined before <c>OnConnectAsync</c>, left after <c>OnDisconnectAsync</c>, whichever way the
/// connection ends. The layer records its membership calls in the same journal as the consumer's hooks.
/// </summary>
public sealed class ConsumerGroupsTests : ConsumerTestKit
{
    private readonly RecordingLayer _layer;

    public ConsumerGroupsTests(ITestOutputHelper output)
        : this(output, new RecordingLayer())
    {
    }

    private ConsumerGroupsTests(ITestOutputHelper output, RecordingLayer layer)
        : base(output, layer: layer) => _layer = layer;

    private Journal Recorded => _layer.Journal;

    [Fact]
    public async Task Groups_GroupSendFromInsideOnConnect_ReachesTheConsumer()
    {
        await using var communicator = Communicator(Consumer.Of<RoomConsumer>(Recorded, "hello from connect"));

        await communicator.ConnectAsync(Timeout);

        Assert.Equal("hello from connect", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Groups_WholeConnection_JoinedBeforeOnConnectAndLeftAfterOnDisconnect()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));

        await communicator.DisconnectAsync(4100, Timeout);

        Assert.Equal(
            ["add lobby", "add news", "connect", "disconnect 4100", "remove lobby", "remove news"],
            Recorded.Entries);
    }

    [Fact]
    public async Task Groups_ConsumerRefuses_StillLeavesItsGroupsAfterOnDisconnect()
    {
        await using var communicator = Communicator(Consumer.Of<RefusingRoomConsumer>(Recorded));

        Assert.False((await communicator.ConnectAsync(Timeout)).Accepted);
        await communicator.DisconnectAsync(timeout: Timeout);

        Assert.Equal(["add lobby", "add news", "connect", "disconnect 1000", "remove lobby", "remove news"], Recorded.Entries);
    }

    [Fact]
    public async Task Groups_ConsumerFails_LeavesItsGroupsAfterOnDisconnect()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));

        await communicator.SendToAsync("fail");

        await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ReceiveFromAsync(Timeout));
        await AwaitConditionAsync(() => Task.FromResult(Recorded.Entries.Count == 6), Timeout);
        Assert.Equal(["add lobby", "add news", "connect", "disconnect 1011", "remove lobby", "remove news"], Recorded.Entries);
    }

    [Fact]
    public async Task SendToGroupAsync_BroadcastFromOneConsumer_ReachesEveryMemberIncludingTheSender()
    {
        await using var alice = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));
        await using var bob = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));

        await alice.SendToAsync("hi all");

        Assert.Equal("hi all", (await alice.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("hi all", (await bob.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendToGroupAsync_FromOutsideAfterOneMemberLeft_ReachesOnlyTheOthers()
    {
        await using var alice = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));
        await using var bob = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));
        await alice.DisconnectAsync(timeout: Timeout);

        await Layer.SendToGroupAsync("lobby", new Chat("after alice left"));

        Assert.Equal("after alice left", (await bob.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendToGroupAsync_AfterTheOnlyMemberDisconnected_ReachesNobody()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        deadLetters.IgnoreMessages(m => m is not DeadLetter { Message: ChannelDelivery });
        await using var communicator = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));
        await communicator.DisconnectAsync(timeout: Timeout);

        await Layer.SendToGroupAsync("lobby", new Chat("anyone?"));

        await deadLetters.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task AddToGroupAsync_FromAHook_JoinsForTheRestOfTheConnection()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<RoomConsumer>(Recorded));

        await communicator.SendToAsync("join sports");
        Assert.Equal("joined sports", (await communicator.ReceiveFromAsync(Timeout)).Text);
        await Layer.SendToGroupAsync("sports", new Chat("goal"));

        Assert.Equal("goal", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Groups_InvalidGroupName_FailsTheConnectAndIsLoggedWithThePath()
    {
        await using var communicator = Communicator(Consumer.Of<BadGroupConsumer>(), "/ws/bad/");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => communicator.ConnectAsync(Timeout));

        Assert.StartsWith("Group name must be a valid string", error.Message, StringComparison.Ordinal);
        var entry = await LoggedAsync(LogLevel.Error, e => e.Error is ArgumentException);
        Assert.Contains("'/ws/bad/'", entry.Message, StringComparison.Ordinal);
    }

    private sealed record Chat(string Text);

    private sealed class Journal
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public IReadOnlyList<string> Entries => [.. _entries];

        public void Add(string entry) => _entries.Enqueue(entry);
    }

    /// <summary>An in-memory layer that records group membership changes (with the channel name left out).</summary>
    private sealed class RecordingLayer : IChannelLayer
    {
        private readonly InMemoryChannelLayer _inner = new();

        public Journal Journal { get; } = new();

        public Task SendAsync(string channel, object message, CancellationToken cancellationToken = default) => _inner.SendAsync(channel, message, cancellationToken);

        public Task AddToGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
        {
            Journal.Add($"add {group}");
            return _inner.AddToGroupAsync(group, channel, cancellationToken);
        }

        public Task RemoveFromGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
        {
            Journal.Add($"remove {group}");
            return _inner.RemoveFromGroupAsync(group, channel, cancellationToken);
        }

        public Task SendToGroupAsync(string group, object message, CancellationToken cancellationToken = default) => _inner.SendToGroupAsync(group, message, cancellationToken);

        public Task<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default) => _inner.NewChannelAsync(prefix, cancellationToken);

        public Task<object> ReceiveAsync(string channel, CancellationToken cancellationToken = default) => _inner.ReceiveAsync(channel, cancellationToken);

        public ChannelBinding Bind(IActorRef actor, string? name = null) => _inner.Bind(actor, name);
    }

    /// <summary>In <c>lobby</c> and <c>news</c>; broadcasts each frame to the lobby and relays lobby chat to its client.</summary>
    private class RoomConsumer : WebSocketConsumer
    {
        private readonly string? _greeting;

        public RoomConsumer(Journal journal, string? greeting = null)
        {
            Journal = journal;
            _greeting = greeting;
            Handle<Chat>(chat => SendAsync(chat.Text));
        }

        protected Journal Journal { get; }

        protected override IEnumerable<string> Groups => ["lobby", "news"];

        protected override async Task OnConnectAsync()
        {
            Journal.Add("connect");
            await AcceptAsync();
            if (_greeting is not null)
            {
                await ChannelLayer.SendToGroupAsync("lobby", new Chat(_greeting));
            }
        }

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            if (text == "fail")
            {
                throw new InvalidOperationException("The room consumer failed.");
            }

            if (text!.StartsWith("join ", StringComparison.Ordinal))
            {
                await ChannelLayer.AddToGroupAsync(text[5..], ChannelName);
                await SendAsync($"joined {text[5..]}");
                return;
            }

            await ChannelLayer.SendToGroupAsync("lobby", new Chat(text));
        }

        protected override Task OnDisconnectAsync(int code)
        {
            Journal.Add($"disconnect {code}");
            return Task.CompletedTask;
        }
    }

    private sealed class RefusingRoomConsumer(Journal journal) : RoomConsumer(journal)
    {
        protected override Task OnConnectAsync()
        {
            Journal.Add("connect");
            return CloseAsync();
        }
    }

    private sealed class BadGroupConsumer : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups => ["not a valid name"];
    }
}
