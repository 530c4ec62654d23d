using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Consumers;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// <c>ForwardJson&lt;T&gt;</c>: a message of T reaches the client without the consumer's turn when it can, and otherwise
/// takes its turn; either way one sender's messages keep their order, nothing reaches a client before its accept, and a
/// closed connection drops them quietly.
/// </summary>
public sealed class ForwardJsonTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    private const string Room = "forward-room";

    [Fact]
    public async Task ForwardJson_ConsumerBusyInAHook_GroupMessageReachesItsClientMeanwhile()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var member = await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, gate));
        await ExpectMsgAsync<string>(Timeout);
        await member.SendToAsync("{\"wait\":true}");
        await ExpectMsgAsync<Waiting>(Timeout);

        await Layer.SendToGroupAsync(Room, new Shout("while busy"));

        // The consumer's receive hook still awaits its gate: a handler could not have run.
        Assert.Equal("{\"text\":\"while busy\"}", (await member.ReceiveFromAsync(Timeout)).Text);
        gate.SetResult();
        Assert.Equal("{\"done\":true}", (await member.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ForwardJson_GroupSendToManyMembers_EachGetsItSerializedOnce()
    {
        var members = new List<WebSocketCommunicator>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, new TaskCompletionSource())));
            await ExpectMsgAsync<string>(Timeout);
        }

        var message = new Counted("everyone");
        await Layer.SendToGroupAsync(Room, message);

        foreach (var member in members)
        {
            Assert.Equal("{\"text\":\"everyone\"}", (await member.ReceiveFromAsync(Timeout)).Text);
            await member.DisposeAsync();
        }

        Assert.Equal(1, message.Serializations);
    }

    [Fact]
    public async Task ForwardJson_OneSenderMixesForwardedAndHandledMessages_ClientGetsThemInOrder()
    {
        await using var member = await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, new TaskCompletionSource()));
        var channel = await ExpectMsgAsync<string>(Timeout);

        // A burst, fewer than the channel's capacity (100), which counts the messages waiting for their turn.
        const int count = 90;
        for (var i = 0; i < count; i++)
        {
            await Layer.SendAsync(channel, i % 3 == 0 ? new Note(i) : new Shout($"{i}"));
        }

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i % 3 == 0 ? $"note {i}" : $"{{\"text\":\"{i}\"}}", (await member.ReceiveFromAsync(Timeout)).Text);
        }
    }

    [Fact]
    public async Task ForwardJson_MessageSentWhileAnOlderOneIsInItsHandler_WaitsForThatHandler()
    {
        await using var member = await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, new TaskCompletionSource()));
        var channel = await ExpectMsgAsync<string>(Timeout);

        for (var round = 0; round < 3; round++)
        {
            // The slow note's handler is running (its mailbox is empty) when the shout is sent: forwarding the shout at
            // once would put it before the note.
            await Layer.SendAsync(channel, new Note(1000 + round));
            await ExpectMsgAsync<Note>(Timeout);
            await Layer.SendAsync(channel, new Shout($"after {round}"));

            Assert.Equal($"note {1000 + round}", (await member.ReceiveFromAsync(Timeout)).Text);
            Assert.Equal($"{{\"text\":\"after {round}\"}}", (await member.ReceiveFromAsync(Timeout)).Text);
        }
    }

    [Fact]
    public async Task ForwardJson_MessageBeforeTheConsumerAccepts_ArrivesAfterTheAccept()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var member = Communicator(Consumer.Of<LateAcceptConsumer>(TestActor, gate));
        var connecting = member.ConnectAsync(Timeout);
        await ExpectMsgAsync<Waiting>(Timeout);

        await Layer.SendToGroupAsync(Room, new Shout("early"));
        Assert.True(await member.ReceiveNothingAsync(Quiet));
        gate.SetResult();

        Assert.True((await connecting).Accepted);
        Assert.Equal("{\"text\":\"early\"}", (await member.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ForwardJson_ConnectionClosedByTheConsumer_LaterMessagesAreDroppedWithoutAFailure()
    {
        await using var member = await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, new TaskCompletionSource()));
        var channel = await ExpectMsgAsync<string>(Timeout);

        await member.SendToAsync("{\"close\":true}");
        Assert.Equal(4000, (await member.ReceiveCloseAsync(Timeout)).Code);
        await Layer.SendToGroupAsync(Room, new Shout("to the group"));
        await Layer.SendAsync(channel, new Shout("to the channel"));

        Assert.True(await member.ReceiveNothingAsync(Quiet));
        Assert.DoesNotContain(Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ForwardJson_ConsumerWithItsOwnJsonOptions_ForwardsWithThemInTurnOrNot()
    {
        await using var member = await ConnectedAsync(Consumer.Of<SnakeCaseConsumer>(TestActor));
        var channel = await ExpectMsgAsync<string>(Timeout);

        // Forwarded at once: the consumer is idle.
        await Layer.SendAsync(channel, new Scored("a", 1));
        Assert.Equal("{\"user_name\":\"a\",\"high_score\":1}", (await member.ReceiveFromAsync(Timeout)).Text);

        // In its turn: sent while the slow note's handler runs.
        await Layer.SendAsync(channel, new Note(1000));
        await ExpectMsgAsync<Note>(Timeout);
        await Layer.SendAsync(channel, new Scored("b", 2));
        Assert.Equal("note 1000", (await member.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("{\"user_name\":\"b\",\"high_score\":2}", (await member.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ForwardJson_SubtypeWithItsOwnHandler_GoesToThatHandler()
    {
        await using var member = await ConnectedAsync(Consumer.Of<RoomConsumer>(TestActor, new TaskCompletionSource()));
        await ExpectMsgAsync<string>(Timeout);

        await Layer.SendToGroupAsync(Room, new LoudShout("hey"));
        await Layer.SendToGroupAsync(Room, new Shout("plain"));

        Assert.Equal("HEY", (await member.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("{\"text\":\"plain\"}", (await member.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ForwardJson_TypeAlreadyHandled_FailsTheConsumerWithAClearError()
    {
        await using var communicator = Communicator(Consumer.Of<DoubleRegistrationConsumer>());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => communicator.ConnectAsync(Timeout));

        Assert.Contains("A handler for Shout is already registered", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    /// <summary>What the room forwards.</summary>
    public record Shout(string Text);

    /// <summary>A subtype of <see cref="Shout"/> that the consumer handles itself.</summary>
    public sealed record LoudShout(string Text) : Shout(Text);

    /// <summary>A message the consumer handles in its turn.</summary>
    public sealed record Note(int Number);

    /// <summary>Reported when a consumer starts waiting on its gate.</summary>
    public sealed record Waiting;

    /// <summary>
    /// A room member: forwards <see cref="Shout"/> and <see cref="Counted"/>, handles <see cref="Note"/> and
    /// <see cref="LoudShout"/> itself; the client sends <c>{"wait":true}</c> to make its receive hook await the gate, or
    /// <c>{"close":true}</c> to be closed with 4000.
    /// </summary>
    private sealed class RoomConsumer : JsonWebSocketConsumer
    {
        private readonly IActorRef _probe;
        private readonly TaskCompletionSource _gate;

        public RoomConsumer(IActorRef probe, TaskCompletionSource gate)
        {
            _probe = probe;
            _gate = gate;
            ForwardJson<Shout>();
            ForwardJson<Counted>();
            Handle<Note>(note =>
            {
                // A note from 1000 on is slow, and says when its handler starts.
                if (note.Number >= 1000)
                {
                    _probe.Tell(note);
                    Thread.Sleep(200);
                }

                return SendAsync($"note {note.Number}");
            });
            Handle<LoudShout>(shout => SendAsync(shout.Text.ToUpperInvariant()));
        }

        protected override IEnumerable<string> Groups => [Room];

        protected override Task OnConnectAsync()
        {
            _probe.Tell(ChannelName);
            return base.OnConnectAsync();
        }

        protected override async Task OnReceiveJsonAsync(JsonElement content)
        {
            if (content.TryGetProperty("close", out _))
            {
                await CloseAsync(4000);
                return;
            }

            _probe.Tell(new Waiting());
            await _gate.Task;
            await SendAsync("{\"done\":true}");
        }
    }

    public sealed record Scored(string UserName, int HighScore);

    /// <summary>Serializes with snake_case names, and forwards <see cref="Scored"/>; a note from 1000 on is slow.</summary>
    private sealed class SnakeCaseConsumer : JsonWebSocketConsumer
    {
        private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        private readonly IActorRef _probe;

        public SnakeCaseConsumer(IActorRef probe)
        {
            _probe = probe;
            ForwardJson<Scored>();
            Handle<Note>(note =>
            {
                _probe.Tell(note);
                Thread.Sleep(200);
                return SendAsync($"note {note.Number}");
            });
        }

        protected override JsonSerializerOptions JsonOptions => SnakeCase;

        protected override Task OnConnectAsync()
        {
            _probe.Tell(ChannelName);
            return base.OnConnectAsync();
        }
    }

    /// <summary>Joins the room, then accepts only once its gate opens.</summary>
    private sealed class LateAcceptConsumer : JsonWebSocketConsumer
    {
        private readonly IActorRef _probe;
        private readonly TaskCompletionSource _gate;

        public LateAcceptConsumer(IActorRef probe, TaskCompletionSource gate)
        {
            _probe = probe;
            _gate = gate;
            ForwardJson<Shout>();
        }

        protected override IEnumerable<string> Groups => [Room];

        protected override async Task OnConnectAsync()
        {
            _probe.Tell(new Waiting());
            await _gate.Task;
            await AcceptAsync();
        }
    }

    private sealed class DoubleRegistrationConsumer : JsonWebSocketConsumer
    {
        public DoubleRegistrationConsumer()
        {
            Handle<Shout>(SendJsonAsync);
            ForwardJson<Shout>();
        }
    }
}
