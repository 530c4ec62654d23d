using Akka.Actor;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers;

/// <summary>
/// The channel layer contract, which every <see cref="IChannelLayer"/> passes: derive, implement <see cref="CreateLayer(ChannelLayerSettings)"/>,
/// and the whole suite runs against the new layer.
/// </summary>
public abstract class ChannelLayerContractTests : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    protected static ChannelLayerSettings Settings { get; } = ChannelLayerSettings.Default;

    public static TheoryData<string> InvalidChannelNames { get; } =
    [
        "",
        new string('a', 100),
        "has space",
        "caf\u00e9",
        "slash/name",
        "two!bangs!here",
        "!leading-bang",
    ];

    public static TheoryData<string> InvalidGroupNames { get; } =
    [
        "",
        new string('a', 100),
        "has space",
        "caf\u00e9",
        "colon:name",
        "bang!name",
    ];

    /// <summary>Runs the suite on a default TestKit system.</summary>
    protected ChannelLayerContractTests()
    {
    }

    /// <summary>Runs the suite on a TestKit system with <paramref name="config"/> (a cluster layer needs the cluster provider).</summary>
    protected ChannelLayerContractTests(Akka.Configuration.Config config) : base(config)
    {
    }

    protected abstract IChannelLayer CreateLayer(ChannelLayerSettings settings);

    protected IChannelLayer CreateLayer() => CreateLayer(Settings);

    [Fact]
    public async Task NewChannelAsync_CalledTwice_ReturnsDistinctValidNames()
    {
        var layer = CreateLayer();

        var first = await layer.NewChannelAsync();
        var second = await layer.NewChannelAsync();

        Assert.NotEqual(first, second);
        Assert.True(ChannelNames.IsValidChannel(first), first);
        Assert.True(ChannelNames.IsValidChannel(second), second);
        Assert.StartsWith("specific", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ToNewChannel_ReceiveAsyncReturnsMessage()
    {
        var layer = CreateLayer();
        var channel = await layer.NewChannelAsync();

        await layer.SendAsync(channel, new Note("hello"));

        Assert.Equal(new Note("hello"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task SendAsync_SeveralMessages_ReceivedInFifoOrder()
    {
        var layer = CreateLayer();
        var channel = await layer.NewChannelAsync();

        for (var i = 0; i < 10; i++)
        {
            await layer.SendAsync(channel, new Note($"m{i}"));
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(new Note($"m{i}"), await ReceiveSoon(layer, channel));
        }
    }

    [Fact]
    public async Task ReceiveAsync_BeforeSend_CompletesWhenMessageArrives()
    {
        var layer = CreateLayer();
        var channel = await layer.NewChannelAsync();

        var receive = ReceiveSoon(layer, channel);
        Assert.False(receive.IsCompleted);
        await layer.SendAsync(channel, new Note("late"));

        Assert.Equal(new Note("late"), await receive);
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        var layer = CreateLayer();
        var channel = await layer.NewChannelAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => layer.ReceiveAsync(channel, cts.Token));
    }

    [Fact]
    public async Task ReceiveAsync_AfterCancelledReceive_GetsTheNextMessage()
    {
        var layer = CreateLayer();
        var channel = await layer.NewChannelAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = layer.ReceiveAsync(channel, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        await layer.SendAsync(channel, new Note("kept"));

        Assert.Equal(new Note("kept"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task SendAsync_ToBoundActor_ArrivesAsChannelDelivery()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);

        await layer.SendAsync(binding.Name, new Note("direct"));

        var delivery = await probe.ExpectMsgAsync<ChannelDelivery>();
        Assert.Equal(new Note("direct"), delivery.Message);
        Assert.False(delivery.IsExpired);
    }

    [Fact]
    public void Bind_WithoutName_ReturnsFreshValidNames()
    {
        var layer = CreateLayer();
        using var first = layer.Bind(CreateTestProbe().Ref);
        using var second = layer.Bind(CreateTestProbe().Ref);

        Assert.NotEqual(first.Name, second.Name);
        Assert.True(ChannelNames.IsValidChannel(first.Name), first.Name);
        Assert.Contains("!", first.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_WithName_ReceivesMessagesSentToThatName()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref, "thumbnails");

        await layer.SendAsync("thumbnails", new Note("resize"));

        Assert.Equal("thumbnails", binding.Name);
        Assert.Equal(new Note("resize"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
    }

    [Fact]
    public async Task SendAsync_BoundChannelAtCapacity_ThrowsChannelFullAndSendsNothing()
    {
        var layer = CreateLayer(Settings with { Capacity = 3 });
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        for (var i = 0; i < 3; i++)
        {
            await layer.SendAsync(binding.Name, new Note($"m{i}"));
        }

        var full = await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync(binding.Name, new Note("m3")));

        Assert.Equal(binding.Name, full.Channel);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new Note($"m{i}"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
        }

        await probe.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task Delivered_OnFullBoundChannel_FreesOneSlot()
    {
        var layer = CreateLayer(Settings with { Capacity = 2 });
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.SendAsync(binding.Name, new Note("a"));
        await layer.SendAsync(binding.Name, new Note("b"));
        await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync(binding.Name, new Note("c")));

        binding.Delivered();
        await layer.SendAsync(binding.Name, new Note("d"));

        await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync(binding.Name, new Note("e")));
        await probe.ExpectMsgAsync<ChannelDelivery>(d => Assert.Equal(new Note("a"), d.Message));
        await probe.ExpectMsgAsync<ChannelDelivery>(d => Assert.Equal(new Note("b"), d.Message));
        await probe.ExpectMsgAsync<ChannelDelivery>(d => Assert.Equal(new Note("d"), d.Message));
    }

    [Fact]
    public async Task SendAsync_QueueChannelAtCapacity_ThrowsChannelFullUntilReceived()
    {
        var layer = CreateLayer(Settings with { Capacity = 2 });
        var channel = await layer.NewChannelAsync();
        await layer.SendAsync(channel, new Note("a"));
        await layer.SendAsync(channel, new Note("b"));

        await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync(channel, new Note("c")));
        Assert.Equal(new Note("a"), await ReceiveSoon(layer, channel));
        await layer.SendAsync(channel, new Note("d"));

        Assert.Equal(new Note("b"), await ReceiveSoon(layer, channel));
        Assert.Equal(new Note("d"), await ReceiveSoon(layer, channel));
    }

    [Fact]
    public async Task SendToGroupAsync_SeveralMembers_ReachesEveryMemberOnce()
    {
        var layer = CreateLayer();
        var probes = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        var bindings = probes.Select(p => layer.Bind(p.Ref)).ToList();
        var queue = await layer.NewChannelAsync();
        foreach (var binding in bindings)
        {
            await layer.AddToGroupAsync("room", binding.Name);
        }

        await layer.AddToGroupAsync("room", queue);

        await layer.SendToGroupAsync("room", new Note("all"));

        foreach (var probe in probes)
        {
            Assert.Equal(new Note("all"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
            await probe.ExpectNoMsgAsync(Quiet);
        }

        Assert.Equal(new Note("all"), await ReceiveSoon(layer, queue));
        bindings.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task SendToGroupAsync_UnknownGroup_Completes()
    {
        var layer = CreateLayer();

        await layer.SendToGroupAsync("nobody-here", new Note("void"));
    }

    [Fact]
    public async Task SendToGroupAsync_GroupWhoseMembersLeft_Completes()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);
        await layer.RemoveFromGroupAsync("room", binding.Name);

        await layer.SendToGroupAsync("room", new Note("void"));

        await probe.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task AddToGroupAsync_Twice_DeliversOnce()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);
        await layer.AddToGroupAsync("room", binding.Name);

        await layer.SendToGroupAsync("room", new Note("once"));

        await probe.ExpectMsgAsync<ChannelDelivery>();
        await probe.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task RemoveFromGroupAsync_NonMember_IsNoOp()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);

        await layer.RemoveFromGroupAsync("room", "someone.else");
        await layer.RemoveFromGroupAsync("no-such-group", binding.Name);
        await layer.SendToGroupAsync("room", new Note("still here"));

        await probe.ExpectMsgAsync<ChannelDelivery>();
    }

    [Fact]
    public async Task RemoveFromGroupAsync_Member_GetsNothingWhileOthersStillDo()
    {
        var layer = CreateLayer();
        var (stays, leaves) = (CreateTestProbe(), CreateTestProbe());
        using var staying = layer.Bind(stays.Ref);
        using var leaving = layer.Bind(leaves.Ref);
        await layer.AddToGroupAsync("room", staying.Name);
        await layer.AddToGroupAsync("room", leaving.Name);

        await layer.RemoveFromGroupAsync("room", leaving.Name);
        await layer.SendToGroupAsync("room", new Note("after"));

        await stays.ExpectMsgAsync<ChannelDelivery>();
        await leaves.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SendToGroupAsync_FullMember_IsSkippedAndOthersStillReached()
    {
        var layer = CreateLayer(Settings with { Capacity = 1 });
        var (full, free) = (CreateTestProbe(), CreateTestProbe());
        using var fullBinding = layer.Bind(full.Ref);
        using var freeBinding = layer.Bind(free.Ref);
        await layer.SendAsync(fullBinding.Name, new Note("fills it"));
        await layer.AddToGroupAsync("room", fullBinding.Name);
        await layer.AddToGroupAsync("room", freeBinding.Name);

        await layer.SendToGroupAsync("room", new Note("broadcast"));

        Assert.Equal(new Note("fills it"), (await full.ExpectMsgAsync<ChannelDelivery>()).Message);
        await full.ExpectNoMsgAsync(Quiet);
        Assert.Equal(new Note("broadcast"), (await free.ExpectMsgAsync<ChannelDelivery>()).Message);
    }

    [Fact]
    public async Task Dispose_Binding_GetsNoMoreDirectOrGroupMessages()
    {
        var layer = CreateLayer();
        var probe = CreateTestProbe();
        var binding = layer.Bind(probe.Ref);
        await layer.AddToGroupAsync("room", binding.Name);

        binding.Dispose();
        await layer.SendAsync(binding.Name, new Note("direct"));
        await layer.SendToGroupAsync("room", new Note("group"));

        await probe.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task ReceiveAsync_OnBoundChannel_ThrowsInvalidOperation()
    {
        var layer = CreateLayer();
        using var binding = layer.Bind(CreateTestProbe().Ref);

        await Assert.ThrowsAsync<InvalidOperationException>(() => layer.ReceiveAsync(binding.Name));
    }

    [Fact]
    public async Task SendAsync_NullMessage_ThrowsArgumentNull()
    {
        var layer = CreateLayer();

        await Assert.ThrowsAsync<ArgumentNullException>(() => layer.SendAsync("somewhere", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => layer.SendToGroupAsync("room", null!));
    }

    [Theory]
    [MemberData(nameof(InvalidChannelNames))]
    public async Task ChannelMethods_InvalidChannelName_ThrowArgumentException(string name)
    {
        var layer = CreateLayer();

        await Assert.ThrowsAsync<ArgumentException>(() => layer.SendAsync(name, new Note("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.ReceiveAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.AddToGroupAsync("room", name));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.RemoveFromGroupAsync("room", name));
        Assert.Throws<ArgumentException>(() => layer.Bind(CreateTestProbe().Ref, name));
    }

    [Theory]
    [MemberData(nameof(InvalidGroupNames))]
    public async Task GroupMethods_InvalidGroupName_ThrowArgumentException(string name)
    {
        var layer = CreateLayer();

        await Assert.ThrowsAsync<ArgumentException>(() => layer.AddToGroupAsync(name, "channel"));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.RemoveFromGroupAsync(name, "channel"));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.SendToGroupAsync(name, new Note("x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("bang!")]
    public async Task NewChannelAsync_InvalidPrefix_ThrowsArgumentException(string prefix)
    {
        var layer = CreateLayer();

        await Assert.ThrowsAsync<ArgumentException>(() => layer.NewChannelAsync(prefix));
    }

    [Fact]
    public async Task NewChannelAsync_PrefixMakingTheNameTooLong_ThrowsArgumentException()
    {
        var layer = CreateLayer();

        await Assert.ThrowsAsync<ArgumentException>(() => layer.NewChannelAsync(new string('p', 100)));
    }

    [Fact]
    public async Task Methods_NamesOf99Characters_AreAccepted()
    {
        var layer = CreateLayer();
        var channel = new string('c', 98) + "!";
        var group = new string('g', 99);
        var probe = CreateTestProbe();
        using var binding = layer.Bind(probe.Ref, new string('w', 99));

        await layer.SendAsync(channel, new Note("long"));
        Assert.Equal(new Note("long"), await ReceiveSoon(layer, channel));
        await layer.AddToGroupAsync(group, binding.Name);
        await layer.SendToGroupAsync(group, new Note("long group"));
        await layer.RemoveFromGroupAsync(group, binding.Name);

        Assert.Equal(new Note("long group"), (await probe.ExpectMsgAsync<ChannelDelivery>()).Message);
    }

    /// <summary>Receives with a bounded wait, so that a broken layer fails the test instead of hanging it.</summary>
    protected static Task<object> ReceiveSoon(IChannelLayer layer, string channel)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.ReceiveAsync(channel).WaitAsync(TimeSpan.FromSeconds(3));
    }

    /// <summary>A channel-layer message, as applications define them.</summary>
    protected sealed record Note(string Text);
}
