using System.Diagnostics;
using Akka.Actor;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>The cluster layer across three nodes in one process.</summary>
[Collection("cluster")]
public sealed class ClusterChannelLayerMultiNodeTests(Xunit.Abstractions.ITestOutputHelper output) : ThreeNodeCluster
{
    public sealed record Ping(int N) : IChannelMessage;

    [Fact]
    public async Task SendToGroupAsync_MembersOnEveryNode_EachGetsEveryMessageOnceInOrder()
    {
        var onA = CreateTestProbe(A);
        var onB = CreateTestProbe(B);
        var onC = CreateTestProbe(C);
        using var bindA = LayerA.Bind(onA.Ref);
        using var bindB = LayerB.Bind(onB.Ref);
        using var bindC = LayerC.Bind(onC.Ref);
        await LayerA.AddToGroupAsync("room", bindA.Name);
        await LayerB.AddToGroupAsync("room", bindB.Name);
        await LayerC.AddToGroupAsync("room", bindC.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("room", new Ping(-1)), onB);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("room", new Ping(-1)), onC);
        foreach (var probe in new[] { onA, onB, onC })
        {
            // Warm-up pings still on their way.
            while (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)) is not null)
            {
            }
        }

        for (var i = 0; i < 100; i++)
        {
            await LayerA.SendToGroupAsync("room", new Ping(i));
        }

        foreach (var probe in new[] { onA, onB, onC })
        {
            for (var i = 0; i < 100; i++)
            {
                var delivery = await probe.ExpectMsgAsync<ChannelDelivery>(TimeSpan.FromSeconds(5));
                Assert.Equal(new Ping(i), delivery.Message);
            }

            Assert.Null(await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(200)));
        }
    }

    [Fact]
    public async Task SendAsync_ToChannelOnAnotherNode_ArrivesThere()
    {
        var onC = CreateTestProbe(C);
        using var binding = LayerC.Bind(onC.Ref);

        await LayerA.SendAsync(binding.Name, new Ping(7));

        Assert.Equal(new Ping(7), (await onC.ExpectMsgAsync<ChannelDelivery>(TimeSpan.FromSeconds(5))).Message);
    }

    [Fact]
    public async Task AddToGroupAsync_ChannelOnAnotherNode_IsAddedOnItsNode()
    {
        var onB = CreateTestProbe(B);
        using var binding = LayerB.Bind(onB.Ref);

        await LayerA.AddToGroupAsync("remote-add", binding.Name);
        await LayerB.SendToGroupAsync("remote-add", new Ping(1));

        Assert.Equal(new Ping(1), (await onB.ExpectMsgAsync<ChannelDelivery>(TimeSpan.FromSeconds(5))).Message);
    }

    [Fact]
    public async Task SendAsync_ToWorkerChannel_ReachesExactlyOneWorkerPerMessage()
    {
        var onB = CreateTestProbe(B);
        var onC = CreateTestProbe(C);
        using var workerB = LayerB.Bind(onB.Ref, "thumbnails");
        using var workerC = LayerC.Bind(onC.Ref, "thumbnails");
        var seen = new List<int>();
        async Task Drain(Akka.TestKit.TestProbe probe)
        {
            while (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)) is ChannelDelivery { Message: Ping ping })
            {
                seen.Add(ping.N);
            }
        }

        // Wait until the workers' registrations have reached A by gossip.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var warm = -1;
        while (seen.Count == 0 && DateTime.UtcNow < deadline)
        {
            await LayerA.SendAsync("thumbnails", new Ping(warm--));
            await Drain(onB);
            await Drain(onC);
        }

        Assert.NotEmpty(seen);
        seen.Clear();
        for (var i = 0; i < 50; i++)
        {
            await LayerA.SendAsync("thumbnails", new Ping(i));
        }

        await Drain(onB);
        await Drain(onC);
        Assert.Equal(Enumerable.Range(0, 50), seen.Where(n => n >= 0).Order());
    }

    [Fact]
    public async Task SendAsync_ToWorkerChannel_PrefersALocalWorker()
    {
        var onA = CreateTestProbe(A);
        var onB = CreateTestProbe(B);
        using var workerA = LayerA.Bind(onA.Ref, "resize");
        using var workerB = LayerB.Bind(onB.Ref, "resize");

        for (var i = 0; i < 20; i++)
        {
            await LayerA.SendAsync("resize", new Ping(i));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(new Ping(i), (await onA.ExpectMsgAsync<ChannelDelivery>(TimeSpan.FromSeconds(5))).Message);
        }

        Assert.Null(await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task AddToGroupAsync_OnAnotherNode_BecomesVisibleWithinTheGossipBound()
    {
        // Membership visibility is eventual (pub-sub gossip, 100 ms here). The bound asserted is generous (50 gossip
        // intervals) because it checks that visibility happens, not how fast: docs/cluster.md records the measured figures.
        var onC = CreateTestProbe(C);
        using var binding = LayerC.Bind(onC.Ref);
        var start = Stopwatch.GetTimestamp();
        await LayerC.AddToGroupAsync("late-joiner", binding.Name);
        var localAck = Stopwatch.GetElapsedTime(start);

        // Each try sends from A and waits up to 50 ms for the message on C, so the figure is at most ~50 ms late.
        var seen = await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("late-joiner", new Ping(0)), onC, TimeSpan.FromSeconds(5));
        output.WriteLine($"membership effective locally after {localAck.TotalMilliseconds:0} ms, visible on A after {Stopwatch.GetElapsedTime(start, seen).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task SendToGroupAsync_AfterRemoteMemberLeft_NoLongerReachesIt()
    {
        var onB = CreateTestProbe(B);
        using var binding = LayerB.Bind(onB.Ref);
        await LayerB.AddToGroupAsync("leaving", binding.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("leaving", new Ping(0)), onB);

        await LayerB.RemoveFromGroupAsync("leaving", binding.Name);
        await LayerA.SendToGroupAsync("leaving", new Ping(1));

        Assert.Null(await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task BindingDisposedWithoutLeaving_NodeDropsTheGroupsTopicAndAJoinLaterSubscribesAnew()
    {
        // A consumer that joined with AddToGroupAsync and stopped without RemoveFromGroupAsync: its binding's disposal takes
        // it out of the group, and with the group's last member here gone, the node leaves the topic rather than keep
        // receiving (and holding) a group nobody on it belongs to.
        var onB = CreateTestProbe(B);
        var binding = LayerB.Bind(onB.Ref);
        await LayerB.AddToGroupAsync("abandoned", binding.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("abandoned", new Ping(0)), onB);
        var before = LayerB.LocalGroupCount;

        binding.Dispose();

        Assert.Equal(before - 1, LayerB.LocalGroupCount);
        var again = CreateTestProbe(B);
        using var rejoined = LayerB.Bind(again.Ref);
        await LayerB.AddToGroupAsync("abandoned", rejoined.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("abandoned", new Ping(1)), again);
        Assert.Null(await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task NodeDowned_ItsMembershipsAndConfirmationsAreRemovedOnTheOthers()
    {
        // As the split brain resolver does to a crashed node: downed by the others, without leaving.
        var onC = CreateTestProbe(C);
        using var binding = LayerC.Bind(onC.Ref);
        await LayerC.AddToGroupAsync("doomed", binding.Name);
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("doomed", new Ping(0)), onC);
        var mediator = Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(A).Mediator;
        Assert.Contains("doomed", await TopicsAsync(mediator));
        await AwaitConditionAsync(() => Task.FromResult(LayerA.Outbox.Nodes == 2), TimeSpan.FromSeconds(10));

        Akka.Cluster.Cluster.Get(A).Down(Akka.Cluster.Cluster.Get(C).SelfAddress);

        await AwaitConditionAsync(
            async () => !(await TopicsAsync(mediator)).Contains("doomed"),
            TimeSpan.FromSeconds(20));
        await AwaitConditionAsync(() => Task.FromResult(LayerA.Outbox.Nodes == 1), TimeSpan.FromSeconds(10));
        await AwaitConditionAsync(() => Task.FromResult(!LayerA.GroupsElsewhere.ContainsKey("doomed") && LayerA.PeersHeard == 1), TimeSpan.FromSeconds(10));
        await LayerA.SendToGroupAsync("doomed", new Ping(1));
    }

    [Fact]
    public async Task SendToGroupAsync_GroupWithMembersOnlyOnTheSendingNode_IsNotPublishedUntilAnotherNodeHasOne()
    {
        // Publishing a group only this node has would cost the mediator, the topic and this node's own hub a turn each for
        // nothing. The count of messages handed to remoting for other nodes (the outbox) shows whether a send was published.
        var onA = CreateTestProbe(A);
        using var bindingA = LayerA.Bind(onA.Ref);
        await LayerA.AddToGroupAsync("mostly-here", bindingA.Name);
        await AwaitConditionAsync(() => Task.FromResult(LayerA.PeersHeard == 2), TimeSpan.FromSeconds(10));
        var published = LayerA.Outbox.Sent;

        for (var i = 0; i < 20; i++)
        {
            await LayerA.SendToGroupAsync("mostly-here", new Ping(i));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(new Ping(i), (await onA.ExpectMsgAsync<ChannelDelivery>()).Message);
        }

        Assert.Equal(published, LayerA.Outbox.Sent);

        var onB = CreateTestProbe(B);
        using var bindingB = LayerB.Bind(onB.Ref);
        await LayerB.AddToGroupAsync("mostly-here", bindingB.Name);
        await AwaitConditionAsync(() => Task.FromResult(LayerA.GroupsElsewhere.GetValueOrDefault("mostly-here") == 1), TimeSpan.FromSeconds(10));
        await AwaitVisibleAsync(() => LayerA.SendToGroupAsync("mostly-here", new Ping(100)), onB);

        await LayerB.RemoveFromGroupAsync("mostly-here", bindingB.Name);
        await AwaitConditionAsync(() => Task.FromResult(!LayerA.GroupsElsewhere.ContainsKey("mostly-here")), TimeSpan.FromSeconds(10));
        published = LayerA.Outbox.Sent;
        await LayerA.SendToGroupAsync("mostly-here", new Ping(200));
        Assert.Equal(published, LayerA.Outbox.Sent);
        Assert.Null(await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task NodeThatJoinsLater_LearnsTheGroupsOfTheOthersAndReachesTheirMembers()
    {
        var onB = CreateTestProbe(B);
        using var binding = LayerB.Bind(onB.Ref);
        await LayerB.AddToGroupAsync("before-d", binding.Name);
        var d = ActorSystem.Create("switchboard", ClusterConfig.Node());
        try
        {
            var layerD = new Switchboard.Actors.Layers.Cluster.ClusterChannelLayer(d);
            await Akka.Cluster.Cluster.Get(d).JoinAsync(Akka.Cluster.Cluster.Get(A).SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));

            await AwaitConditionAsync(() => Task.FromResult(layerD.PeersHeard == 3 && layerD.GroupsElsewhere.ContainsKey("before-d")), TimeSpan.FromSeconds(20));
            await AwaitVisibleAsync(() => layerD.SendToGroupAsync("before-d", new Ping(1)), onB);
        }
        finally
        {
            await d.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public void Serialization_GroupLists_RoundTrip()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        object RoundTrip(object message)
        {
            var serializer = serialization.FindSerializerFor(message);
            Assert.IsType<Switchboard.Actors.Layers.Cluster.EnvelopeSerializer>(serializer);
            return serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
        }

        foreach (var reply in new[] { false, true })
        {
            var back = Assert.IsType<Switchboard.Actors.Layers.Cluster.GroupsHere>(RoundTrip(new Switchboard.Actors.Layers.Cluster.GroupsHere(["room-1", "chat_lobby", "a.b-c"], reply)));
            Assert.Equal(["room-1", "chat_lobby", "a.b-c"], back.Groups);
            Assert.Equal(reply, back.Reply);
        }

        Assert.Empty(Assert.IsType<Switchboard.Actors.Layers.Cluster.GroupsHere>(RoundTrip(new Switchboard.Actors.Layers.Cluster.GroupsHere([], false))).Groups);
        Assert.Equal(new Switchboard.Actors.Layers.Cluster.GroupJoinedHere("room-1"), RoundTrip(new Switchboard.Actors.Layers.Cluster.GroupJoinedHere("room-1")));
        Assert.Equal(new Switchboard.Actors.Layers.Cluster.GroupLeftHere("room-1"), RoundTrip(new Switchboard.Actors.Layers.Cluster.GroupLeftHere("room-1")));
    }

    /// <summary>The topics with subscribers anywhere in the cluster, as this node's mediator knows them.</summary>
    private static async Task<IReadOnlySet<string>> TopicsAsync(IActorRef mediator) =>
        (await mediator.Ask<Akka.Cluster.Tools.PublishSubscribe.CurrentTopics>(Akka.Cluster.Tools.PublishSubscribe.GetTopics.Instance, TimeSpan.FromSeconds(5))).Topics.ToHashSet();

    [Fact]
    public async Task RemoveFromGroupAsync_ChannelOnAnotherNode_IsRemovedOnItsNode()
    {
        var onB = CreateTestProbe(B);
        using var binding = LayerB.Bind(onB.Ref);
        await LayerA.AddToGroupAsync("remote-leave", binding.Name);
        await AwaitVisibleAsync(() => LayerB.SendToGroupAsync("remote-leave", new Ping(0)), onB);

        await LayerA.RemoveFromGroupAsync("remote-leave", binding.Name);
        await LayerB.SendToGroupAsync("remote-leave", new Ping(1));

        Assert.Null(await onB.ReceiveOneAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task SendToGroupAsync_GroupWithNoMembersAnywhere_Completes()
    {
        await LayerA.SendToGroupAsync("nobody-here", new Ping(1));
    }

    [Fact]
    public void Serialization_UnregisteredMessageType_FailsLoudly()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        Assert.ThrowsAny<Exception>(() => serialization.FindSerializerFor(new Unregistered("x")));
    }

    [Fact]
    public void Serialization_ChannelMessage_RoundTripsThroughTheEnvelope()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        var envelope = new Switchboard.Actors.Layers.Cluster.GroupEnvelope("room", new Ping(42), 17);
        var serializer = serialization.FindSerializerFor(envelope);
        var bytes = serializer.ToBinary(envelope);
        var back = serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, envelope));

        Assert.Equal(envelope, back);
        Assert.IsType<Switchboard.Actors.Layers.Cluster.EnvelopeSerializer>(serializer);
    }

    [Theory]
    [InlineData("room")]
    [InlineData("salle-été-☕")]
    [InlineData("a-group-name-longer-than-one-hundred-and-twenty-seven-bytes-so-that-its-length-prefix-takes-two-bytes-on-the-wire-0123456789")]
    public void Serialization_Envelope_IsTheLayoutOfBinaryWriter_BothWays(string target)
    {
        // The wire format is what nodes of different versions must agree on during a rolling upgrade: the target and the
        // inner manifest as BinaryWriter writes strings, the origin, the serializer's id, the payload's length and bytes.
        var serialization = ((ExtendedActorSystem)A).Serialization;
        var envelope = new Switchboard.Actors.Layers.Cluster.GroupEnvelope(target, new Ping(7), -3);
        var serializer = serialization.FindSerializerFor(envelope);
        var inner = serialization.FindSerializerFor(envelope.Message);
        var innerManifest = Akka.Serialization.Serialization.ManifestFor(inner, envelope.Message);
        var payload = inner.ToBinary(envelope.Message);
        using var expected = new MemoryStream();
        using (var writer = new BinaryWriter(expected))
        {
            writer.Write(target);
            writer.Write(-3L);
            writer.Write(inner.Identifier);
            writer.Write(innerManifest);
            writer.Write(payload.Length);
            writer.Write(payload);
        }

        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, envelope);
        Assert.Equal(expected.ToArray(), serializer.ToBinary(envelope));
        Assert.Equal(envelope, serialization.Deserialize(expected.ToArray(), serializer.Identifier, manifest));
        // A second read of the same manifest (served from the names seen before) gives the same message.
        Assert.Equal(envelope, serialization.Deserialize(expected.ToArray(), serializer.Identifier, manifest));
    }

    [Fact]
    public void Serialization_TruncatedEnvelope_FailsWithASerializationError()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        var envelope = new Switchboard.Actors.Layers.Cluster.GroupEnvelope("room", new Ping(7), 1);
        var serializer = serialization.FindSerializerFor(envelope);
        var bytes = serializer.ToBinary(envelope);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, envelope);

        foreach (var length in new[] { 0, 1, 3, 10, bytes.Length - 1 })
        {
            var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => ((Akka.Serialization.SerializerWithStringManifest)serializer).FromBinary(bytes[..length], manifest));
            Assert.Contains("truncated", error.Message);
        }

        var groups = new Switchboard.Actors.Layers.Cluster.GroupsHere(["room-1", "chat_lobby"], false);
        var groupBytes = serializer.ToBinary(groups);
        var groupManifest = Akka.Serialization.Serialization.ManifestFor(serializer, groups);
        foreach (var length in new[] { 0, 3, 5, groupBytes.Length - 1 })
        {
            var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => ((Akka.Serialization.SerializerWithStringManifest)serializer).FromBinary(groupBytes[..length], groupManifest));
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void Serialization_GroupList_IsTheLayoutOfBinaryWriter_BothWays()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        var names = new[] { "room-1", "salle-été-☕", new string('g', 200) };
        var groups = new Switchboard.Actors.Layers.Cluster.GroupsHere(names, true);
        var serializer = serialization.FindSerializerFor(groups);
        using var expected = new MemoryStream();
        using (var writer = new BinaryWriter(expected))
        {
            writer.Write(names.Length);
            foreach (var name in names)
            {
                writer.Write(name);
            }
        }

        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, groups);
        Assert.Equal(expected.ToArray(), serializer.ToBinary(groups));
        var back = Assert.IsType<Switchboard.Actors.Layers.Cluster.GroupsHere>(serialization.Deserialize(expected.ToArray(), serializer.Identifier, manifest));
        Assert.Equal(names, back.Groups);
        Assert.True(back.Reply);
    }

    [Fact]
    public void Serialization_TypeNotBoundToJsonSerializer_IsNeverCreatedFromTheWire()
    {
        var serialization = ((ExtendedActorSystem)A).Serialization;
        var json = serialization.FindSerializerFor(new Ping(1));

        Assert.ThrowsAny<System.Runtime.Serialization.SerializationException>(() =>
            serialization.Deserialize("{}"u8.ToArray(), json.Identifier, typeof(Unregistered).AssemblyQualifiedName!.Split(',')[0] + ", " + typeof(Unregistered).Assembly.GetName().Name));
    }

    public sealed record Unregistered(string Text);
}
