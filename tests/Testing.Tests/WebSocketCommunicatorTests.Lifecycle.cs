using System.Collections.Concurrent;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;

namespace Switchboard.Testing.Tests;

/// <summary>DisconnectAsync and DisposeAsync end the consumer's life the way a client's close does.</summary>
public sealed partial class WebSocketCommunicatorTests
{
    [Fact]
    public async Task DisconnectAsync_WaitsForTheConsumerToStop_AndOnDisconnectAsyncGetsTheCode()
    {
        var journal = new Journal();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.DisconnectAsync(4001, Wait);

        Assert.Equal(["connect", "disconnect 4001", "stopped"], journal.Entries);
    }

    [Fact]
    public async Task DisconnectAsync_DefaultCode_Is1000()
    {
        var journal = new Journal();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.DisconnectAsync(timeout: Wait);

        Assert.Contains("disconnect 1000", journal.Entries);
    }

    [Fact]
    public async Task DisconnectAsync_CalledTwice_IsHarmless()
    {
        var journal = new Journal();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.DisconnectAsync(timeout: Wait);
        await communicator.DisconnectAsync(timeout: Wait);

        Assert.Single(journal.Entries, e => e.StartsWith("disconnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisconnectAsync_AfterTheConsumerRefused_TheConsumerGotItsDisconnectWithTheRefusalCode()
    {
        var journal = new Journal();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/?refuse=1");
        Assert.False((await communicator.ConnectAsync(Wait)).Accepted);

        await communicator.DisconnectAsync(timeout: Wait);

        Assert.Equal(["connect", "disconnect 4003", "stopped"], journal.Entries);
    }

    [Fact]
    public async Task DisconnectAsync_OnDisconnectAsyncStillRunning_ThrowsTimeoutSayingWhatItWaitedFor()
    {
        var journal = new Journal();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/?slow=1");
        await communicator.ConnectAsync(Wait);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => communicator.DisconnectAsync(timeout: TimeSpan.FromMilliseconds(100)));

        Assert.Equal("Timed out after 0.1 s waiting for the consumer to stop.", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_TestForgotToDisconnect_RunsOnDisconnectAsyncWith1000AndStopsTheConsumer()
    {
        var journal = new Journal();
        await using (var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/"))
        {
            await communicator.ConnectAsync(Wait);
        }

        Assert.Equal(["connect", "disconnect 1000", "stopped"], journal.Entries);
    }

    [Fact]
    public async Task DisposeAsync_ConsumerClosedItself_StillRunsOnDisconnectAsyncAndStopsIt()
    {
        var journal = new Journal();
        await using (var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/"))
        {
            await communicator.ConnectAsync(Wait);
            await communicator.SendToAsync("close");
            Assert.Equal(4000, (await communicator.ReceiveCloseAsync(Wait)).Code);
        }

        Assert.Equal(["connect", "disconnect 1000", "stopped"], journal.Entries);
    }

    [Fact]
    public async Task DisposeAsync_NeverConnected_StartsNoConsumer()
    {
        var journal = new Journal();
        await using (new WebSocketCommunicator(Sys, Consumer.Of<JournalingConsumer>(journal), "/ws/"))
        {
        }

        Assert.Empty(journal.Entries);
    }

    /// <summary>What a consumer did, in order; safe to read from the test once the consumer has stopped.</summary>
    public sealed class Journal
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public IReadOnlyList<string> Entries => [.. _entries];

        public void Add(string entry) => _entries.Enqueue(entry);
    }

    /// <summary>Writes its life to a journal: refuses with 4003 on <c>?refuse</c>, disconnects slowly on <c>?slow</c>.</summary>
    public sealed class JournalingConsumer(Journal journal) : WebSocketConsumer
    {
        protected override Task OnConnectAsync()
        {
            journal.Add("connect");
            return Scope.QueryString.Contains("refuse", StringComparison.Ordinal) ? CloseAsync(4003) : AcceptAsync();
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text == "close" ? CloseAsync(4000) : Task.CompletedTask;

        protected override async Task OnDisconnectAsync(int code)
        {
            if (Scope.QueryString.Contains("slow", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            journal.Add($"disconnect {code}");
        }

        protected override void PostStop()
        {
            // Before the base class tells the communicator, so that the entry is there when DisconnectAsync returns.
            journal.Add("stopped");
            base.PostStop();
        }
    }
}
