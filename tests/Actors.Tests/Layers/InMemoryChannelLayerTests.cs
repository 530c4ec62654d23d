using Akka.Actor;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers;

public sealed class InMemoryChannelLayerTests : ChannelLayerContractTests
{
    private readonly FakeTimeProvider _clock = new();

    protected override IChannelLayer CreateLayer(ChannelLayerSettings settings) => new InMemoryChannelLayer(settings, _clock);

    private InMemoryChannelLayer CreateInMemory(ChannelLayerSettings? settings = null) => new(settings ?? Settings, _clock);

    [Fact]
    public void Constructor_CapacityBelowOne_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryChannelLayer(Settings with { Capacity = 0 }, _clock));

    [Fact]
    public async Task NewChannelAsync_DefaultPrefix_UsesTheInMemoryNameShape()
    {
        var name = await CreateInMemory().NewChannelAsync();

        Assert.Matches("^specific\\.inmemory![a-zA-Z]{12}$", name);
    }

    [Fact]
    public async Task NewChannelAsync_PrefixOf77Characters_GivesA99CharacterName()
    {
        var layer = CreateInMemory();

        Assert.Equal(99, (await layer.NewChannelAsync(new string('p', 77))).Length);
        await Assert.ThrowsAsync<ArgumentException>(() => layer.NewChannelAsync(new string('p', 78)));
    }

    [Fact]
    public async Task SendAsync_UnknownName_QueuesForALaterReceive()
    {
        var layer = CreateInMemory();

        await layer.SendAsync("nobody.made.this", new Note("queued"));

        Assert.Equal(new Note("queued"), await ReceiveSoon(layer, "nobody.made.this"));
    }

    [Fact]
    public async Task ReceiveAsync_QueuedMessageOlderThanExpiry_IsDropped()
    {
        var layer = CreateInMemory();
        var channel = await layer.NewChannelAsync();
        await layer.SendAsync(channel, new Note("stale"));

        _clock.Advance(Settings.Expiry + TimeSpan.FromSeconds(1));
        await layer.SendAsync(channel, new Note("fresh"));

        Assert.Equal(new Note("fresh"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task ReceiveAsync_MessageJustWithinExpiry_IsKept()
    {
        var layer = CreateInMemory();
        var channel = await layer.NewChannelAsync();
        await layer.SendAsync(channel, new Note("in time"));

        _clock.Advance(Settings.Expiry);

        Assert.Equal(new Note("in time"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task SendToGroupAsync_QueueMemberThatHadAMessageExpire_LeavesTheGroup()
    {
        var layer = CreateInMemory();
        var channel = await layer.NewChannelAsync();
        await layer.AddToGroupAsync("room", channel);
        await layer.SendToGroupAsync("room", new Note("unread"));

        _clock.Advance(Settings.Expiry + TimeSpan.FromSeconds(1));
        await layer.SendToGroupAsync("room", new Note("not for a dead reader"));
        await layer.SendToGroupAsync("room", new Note("nor this"));
        await layer.SendAsync(channel, new Note("direct"));

        Assert.Equal(new Note("direct"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task SendToGroupAsync_AfterGroupExpiry_MembershipIsGone()
    {
        var layer = CreateInMemory();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);

        _clock.Advance(Settings.GroupExpiry + TimeSpan.FromSeconds(1));
        await layer.SendToGroupAsync("room", new Note("too late"));

        await probe.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task GroupEmptied_LastMemberLeavesUnboundOrExpires_ReportedOnceEachOnlyThen()
    {
        var layer = CreateInMemory();
        var emptied = new List<string>();
        layer.GroupEmptied = emptied.Add;
        var first = layer.Bind(CreateTestProbe().Ref);
        var second = layer.Bind(CreateTestProbe().Ref);
        await layer.AddToGroupAsync("left", first.Name);
        await layer.AddToGroupAsync("left", second.Name);
        await layer.AddToGroupAsync("unbound", first.Name);
        await layer.AddToGroupAsync("unbound", second.Name);

        await layer.RemoveFromGroupAsync("left", first.Name);
        first.Dispose();
        Assert.Empty(emptied);
        Assert.True(layer.HasMembers("left") && layer.HasMembers("unbound"));

        await layer.RemoveFromGroupAsync("left", second.Name);
        second.Dispose();
        Assert.Equal(["left", "unbound"], emptied);
        Assert.False(layer.HasMembers("left") || layer.HasMembers("unbound"));

        using var third = layer.Bind(CreateTestProbe().Ref);
        await layer.AddToGroupAsync("expiring", third.Name);
        _clock.Advance(Settings.GroupExpiry + TimeSpan.FromSeconds(1));
        await layer.SendToGroupAsync("expiring", new Note("too late"));
        Assert.Equal(["left", "unbound", "expiring"], emptied);
    }

    [Fact]
    public async Task AddToGroupAsync_Again_RenewsTheMembership()
    {
        var layer = CreateInMemory();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);
        _clock.Advance(Settings.GroupExpiry * 0.75);

        await layer.AddToGroupAsync("room", binding.Name);
        _clock.Advance(Settings.GroupExpiry * 0.5);
        await layer.SendToGroupAsync("room", new Note("still a member"));

        await probe.ExpectMsgAsync<ChannelDelivery>();
    }

    [Fact]
    public async Task AddToGroupAsync_AgainAfterASend_RenewsTheMembership()
    {
        var layer = CreateInMemory();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);
        await layer.SendToGroupAsync("room", new Note("first"));
        await probe.ExpectMsgAsync<ChannelDelivery>();
        _clock.Advance(Settings.GroupExpiry * 0.75);

        await layer.AddToGroupAsync("room", binding.Name);
        _clock.Advance(Settings.GroupExpiry * 0.5);
        await layer.SendToGroupAsync("room", new Note("still a member"));

        Assert.Equal(new Note("still a member"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
    }

    [Fact]
    public async Task SendToGroupAsync_MembersChangingBetweenSends_ReachesTheMembersOfTheMoment()
    {
        var layer = CreateInMemory();
        var (first, second) = (CreateTestProbe(), CreateTestProbe());
        using var firstBinding = layer.Bind(first.Ref);
        using var secondBinding = layer.Bind(second.Ref);
        await layer.AddToGroupAsync("room", firstBinding.Name);
        await layer.SendToGroupAsync("room", new Note("one"));

        await layer.AddToGroupAsync("room", secondBinding.Name);
        await layer.SendToGroupAsync("room", new Note("two"));
        await layer.RemoveFromGroupAsync("room", firstBinding.Name);
        await layer.SendToGroupAsync("room", new Note("three"));
        secondBinding.Dispose();
        await layer.SendToGroupAsync("room", new Note("four"));

        Assert.Equal(new Note("one"), (await first.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("two"), (await first.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("two"), (await second.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("three"), (await second.ExpectMsgAsync<ChannelDelivery>()).Message);
        await first.ExpectNoMsgAsync(Quiet);
        await second.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SendToGroupAsync_QueueMemberThatAnActorBindsLater_ReachesTheActorInOrder()
    {
        var layer = CreateInMemory();
        var probe = CreateTestProbe();
        await layer.AddToGroupAsync("room", "worker");
        await layer.SendToGroupAsync("room", new Note("queued"));

        using var binding = layer.Bind(probe.Ref, "worker");
        await layer.SendToGroupAsync("room", new Note("told"));
        binding.Dispose();
        await layer.SendToGroupAsync("room", new Note("after the actor left"));

        Assert.Equal(new Note("queued"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("told"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
        await probe.ExpectNoMsgAsync(Quiet);
        Assert.False(layer.HasMembers("room"));
    }

    [Fact]
    public async Task SendToGroupAsync_OneMember_AllocatesOnlyTheDelivery()
    {
        var layer = CreateInMemory();
        using var binding = layer.Bind(ActorRefs.Nobody);
        await layer.AddToGroupAsync("room", binding.Name);
        await layer.SendToGroupAsync("room", new Note("warm-up"));
        binding.Delivered();
        var message = new Note("measured");

        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = layer.SendToGroupAsync("room", message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A ChannelDelivery is 56 bytes; the member table's enumerator (64) used to come on top.
        Assert.True(allocated <= 56, $"A group send to one member allocated {allocated} bytes.");
    }

    [Fact]
    public async Task ChannelDelivery_AfterExpiry_IsExpired()
    {
        var layer = CreateInMemory();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.SendAsync(binding.Name, new Note("slow consumer"));
        var delivery = await probe.ExpectMsgAsync<ChannelDelivery>();

        Assert.False(delivery.IsExpired);
        _clock.Advance(Settings.Expiry + TimeSpan.FromSeconds(1));

        Assert.True(delivery.IsExpired);
    }

    [Fact]
    public async Task GroupSendsSkipped_FullMembers_AreCountedWithoutThrowing()
    {
        var layer = CreateInMemory(Settings with { Capacity = 1 });
        var bindings = Enumerable.Range(0, 3).Select(_ => layer.Bind(CreateTestProbe().Ref)).ToList();
        foreach (var binding in bindings)
        {
            await layer.AddToGroupAsync("room", binding.Name);
        }

        await layer.SendAsync(bindings[0].Name, new Note("fill"));
        await layer.SendAsync(bindings[1].Name, new Note("fill"));
        await layer.SendToGroupAsync("room", new Note("first"));
        await layer.SendToGroupAsync("room", new Note("second"));

        Assert.Equal(2 + 3, layer.GroupSendsSkipped);
        bindings.ForEach(b => b.Dispose());
    }

    [Fact]
    public void Bind_SameNameTwice_ThrowsInvalidOperationUntilTheFirstIsDisposed()
    {
        var layer = CreateInMemory();
        var first = layer.Bind(CreateTestProbe().Ref, "thumbnails");

        var error = Assert.Throws<InvalidOperationException>(() => layer.Bind(CreateTestProbe().Ref, "thumbnails"));

        Assert.Contains("'thumbnails' is already bound", error.Message, StringComparison.Ordinal);
        first.Dispose();
        using var second = layer.Bind(CreateTestProbe().Ref, "thumbnails");
        Assert.Equal("thumbnails", second.Name);
    }

    [Fact]
    public async Task Bind_NameWithQueuedMessages_HandsThemToTheActorInOrder()
    {
        var layer = CreateInMemory();
        await layer.SendAsync("thumbnails", new Note("early 1"));
        await layer.SendAsync("thumbnails", new Note("early 2"));
        var probe = CreateTestProbe();

        using var binding = layer.Bind(probe.Ref, "thumbnails");
        await layer.SendAsync("thumbnails", new Note("late"));

        Assert.Equal(new Note("early 1"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("early 2"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
        Assert.Equal(new Note("late"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
    }

    [Fact]
    public async Task Bind_WhileAnotherThreadSends_LosesNothingAndKeepsOrder()
    {
        for (var round = 0; round < 20; round++)
        {
            var layer = CreateInMemory(Settings with { Capacity = 1000 });
            var probe = CreateTestProbe();
            var sender = Task.Run(async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    await layer.SendAsync("worker", i);
                }
            });

            await Task.Delay(round % 3);
            using var binding = layer.Bind(probe.Ref, "worker");
            await sender.WaitAsync(TimeSpan.FromSeconds(3));

            for (var i = 0; i < 200; i++)
            {
                Assert.Equal(i, (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
            }
        }
    }

    [Fact]
    public async Task Bind_NameWithAWaitingReceiver_FailsTheReceiver()
    {
        var layer = CreateInMemory();
        var receive = layer.ReceiveAsync("thumbnails");

        using var binding = layer.Bind(CreateTestProbe().Ref, "thumbnails");

        await Assert.ThrowsAsync<InvalidOperationException>(() => receive.WaitAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task SendAsync_ConcurrentSendsToABoundChannel_ExactlyCapacitySucceed()
    {
        var layer = CreateInMemory(Settings with { Capacity = 50 });
        using var binding = layer.Bind(CreateTestProbe().Ref);
        var full = 0;

        await Parallel.ForAsync(0, 400, async (i, _) =>
        {
            try
            {
                await layer.SendAsync(binding.Name, new Note($"m{i}"));
            }
            catch (ChannelFullException)
            {
                Interlocked.Increment(ref full);
            }
        });

        Assert.Equal(350, full);
    }

    [Fact]
    public async Task Sweep_ChannelsNobodyReads_AreReclaimedAfterExpiry()
    {
        var layer = CreateInMemory();
        for (var i = 0; i < 20; i++)
        {
            await layer.SendAsync($"gone.{i}", new Note("nobody reads this"));
        }

        Assert.Equal(20, layer.QueueCount);
        _clock.Advance(Settings.Expiry * 2 + TimeSpan.FromSeconds(1));
        await layer.SendToGroupAsync("any", new Note("triggers the sweep"));

        Assert.Equal(0, layer.QueueCount);
    }

    [Fact]
    public async Task SendToGroupAsync_ThousandActorMembers_AllocatesNothingPerMember()
    {
        var layer = CreateInMemory();
        var bindings = Enumerable.Range(0, 1000).Select(_ => layer.Bind(ActorRefs.Nobody)).ToList();
        foreach (var binding in bindings)
        {
            await layer.AddToGroupAsync("big", binding.Name);
        }

        await layer.SendToGroupAsync("big", new Note("warm-up"));
        bindings.ForEach(b => b.Delivered());
        var message = new Note("measured");

        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = layer.SendToGroupAsync("big", message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1000, $"A group send to 1000 members allocated {allocated} bytes.");
        Assert.Equal(0, layer.GroupSendsSkipped);
        bindings.ForEach(b => b.Dispose());
    }
}
