using Akka.Actor;
using Switchboard.Actors.Consumers;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// One event at a time, in order: the next frame, channel-layer message or timer tick is not handled until the
/// current hook or handler has completed, even while it awaits.
/// </summary>
public sealed class ConsumerOrderingTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Fact]
    public async Task OnReceiveAsync_HookAwaitsDelay_NextFrameWaitsForIt()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<DelayingConsumer>(TestActor));

        await communicator.SendToAsync("slow");
        await communicator.SendToAsync("fast");

        Assert.Equal("start slow", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("end slow", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("start fast", await ExpectMsgAsync<string>(Timeout));
        Assert.Equal("end fast", await ExpectMsgAsync<string>(Timeout));
    }

    [Fact]
    public async Task OnReceiveAsync_HookAwaitsGate_NextFrameIsNotHandledUntilItCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var communicator = await ConnectedAsync(Consumer.Of<GatedConsumer>(gate));
        await communicator.ReceiveFromAsync(Timeout);

        await communicator.SendToAsync("slow");
        Assert.Equal("start slow", (await communicator.ReceiveFromAsync(Timeout)).Text);
        await communicator.SendToAsync("fast");

        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        gate.SetResult();
        Assert.Equal("end slow", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("start fast", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("end fast", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Handle_LayerMessageWhileHookAwaits_IsHandledAfterTheHook()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var communicator = await ConnectedAsync(Consumer.Of<GatedConsumer>(gate));
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;
        await communicator.SendToAsync("slow");
        await communicator.ReceiveFromAsync(Timeout);

        await Layer.SendAsync(channel, new Note("from the layer"));

        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        gate.SetResult();
        Assert.Equal("end slow", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("from the layer", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendToAsync_ManyFramesToAnAwaitingHook_AreHandledInArrivalOrder()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<YieldingEchoConsumer>());

        for (var i = 0; i < 50; i++)
        {
            await communicator.SendToAsync($"frame {i}");
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"frame {i}", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
    }

    [Fact]
    public async Task OnConnectAsync_AwaitsDelayBeforeAccepting_Accepts()
    {
        await using var communicator = Communicator(Consumer.Of<SlowAcceptConsumer>());

        Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);
    }

    [Fact]
    public async Task Timers_StartSingleTimerToSelf_ReachesItsHandler()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<TimerConsumer>());

        await communicator.SendToAsync("once");

        Assert.Equal("tick 1", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task Timers_PeriodicTimer_TicksUntilCancelled()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<TimerConsumer>());

        await communicator.SendToAsync("periodic");

        Assert.Equal("tick 1", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("tick 2", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("tick 3", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task Timers_TickDueWhileHookAwaits_IsHandledAfterTheHook()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<TimerConsumer>());

        await communicator.SendToAsync("once then wait");

        Assert.Equal("waited", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("tick 1", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Handle_WorkPipedToSelf_ComesBackAsAMessage()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<PipingConsumer>());

        await communicator.SendToAsync("21");

        Assert.Equal("42", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    private sealed record Note(string Text);

    private sealed record Tick;

    private sealed record Doubled(int Value);

    private sealed class DelayingConsumer(IActorRef probe) : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            probe.Tell($"start {text}");
            await Task.Delay(text == "slow" ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero);
            probe.Tell($"end {text}");
        }
    }

    private sealed class GatedConsumer : WebSocketConsumer
    {
        private readonly TaskCompletionSource _gate;

        public GatedConsumer(TaskCompletionSource gate)
        {
            _gate = gate;
            Handle<Note>(note => SendAsync(note.Text));
        }

        protected override async Task OnConnectAsync()
        {
            await AcceptAsync();
            await SendAsync(ChannelName);
        }

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            await SendAsync($"start {text}");
            if (text == "slow")
            {
                await _gate.Task;
            }

            await SendAsync($"end {text}");
        }
    }

    private sealed class YieldingEchoConsumer : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            await Task.Yield();
            await SendAsync(text!);
        }
    }

    private sealed class SlowAcceptConsumer : WebSocketConsumer
    {
        protected override async Task OnConnectAsync()
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            await AcceptAsync();
        }
    }

    private sealed class TimerConsumer : WebSocketConsumer
    {
        private int _ticks;

        public TimerConsumer() => Handle<Tick>(async _ =>
        {
            _ticks++;
            await SendAsync($"tick {_ticks}");
            if (_ticks == 3)
            {
                Timers.Cancel("periodic");
            }
        });

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            switch (text)
            {
                case "once":
                    Timers.StartSingleTimer("once", new Tick(), TimeSpan.FromMilliseconds(50));
                    break;
                case "periodic":
                    Timers.StartPeriodicTimer("periodic", new Tick(), TimeSpan.FromMilliseconds(30));
                    break;
                case "once then wait":
                    Timers.StartSingleTimer("once", new Tick(), TimeSpan.FromMilliseconds(10));
                    await Task.Delay(TimeSpan.FromMilliseconds(300));
                    await SendAsync("waited");
                    break;
            }
        }
    }

    private sealed class PipingConsumer : WebSocketConsumer
    {
        public PipingConsumer() => Handle<Doubled>(result => SendAsync(result.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        protected override Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            var value = int.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
            Task.Run(() => new Doubled(value * 2)).PipeTo(Self);
            return Task.CompletedTask;
        }
    }
}
