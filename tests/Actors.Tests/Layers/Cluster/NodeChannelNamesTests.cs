using Akka.Actor;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Tests.Layers.Cluster;

/// <summary>
/// Consumer channel names on a cluster carry their node (<c>specific.node-{hex of host:port}!{random}</c>): every node
/// reads the address back from a name to send straight to that node, and a name without one is local.
/// </summary>
public sealed class NodeChannelNamesTests
{
    private static readonly Address Node = new("akka.tcp", "switchboard", "127.0.0.1", 4053);

    [Theory]
    [InlineData("127.0.0.1", 4053)]
    [InlineData("::1", 65535)]
    [InlineData("node-7.example.com", 1)]
    [InlineData("h\u00f4te", 2552)]
    public void NodeOf_ANameThisNodeMade_GivesItsHostAndPort(string host, int port)
    {
        var segment = NodeChannelNames.NodeSegment(new Address("akka.tcp", "switchboard", host, port));

        Assert.Equal((host, port), NodeChannelNames.NodeOf($"specific.{segment}!0123456789abcdef"));
    }

    [Fact]
    public void NodeOf_SegmentAmongPrefixParts_IsFound()
    {
        var segment = NodeChannelNames.NodeSegment(Node);

        Assert.Equal(("127.0.0.1", 4053), NodeChannelNames.NodeOf($"app.{segment}.extra!x"));
        Assert.Equal(("127.0.0.1", 4053), NodeChannelNames.NodeOf($"{segment}!x"));
    }

    [Fact]
    public void NodeOf_UppercaseHex_DecodesTheSameNode()
    {
        var segment = NodeChannelNames.NodeSegment(Node);

        Assert.Equal(("127.0.0.1", 4053), NodeChannelNames.NodeOf($"specific.node-{segment[5..].ToUpperInvariant()}!x"));
    }

    [Theory]
    [InlineData("plain-worker")]
    [InlineData("specific.abc!def")]
    [InlineData("specific.node-!x")]
    [InlineData("specific.node-abc!x")]
    [InlineData("specific.node-zz!x")]
    [InlineData("specific.node-3132372e302e302e31!x")]
    [InlineData("specific.node-3132372e302e302e313a!x")]
    [InlineData("specific.node-3132372e302e302e313a3939393939393939393939!x")]
    [InlineData("specific.x!node-3132372e302e302e313a34303533")]
    public void NodeOf_NoNodeOrNotHostAndPort_IsNull(string channel) => Assert.Null(NodeChannelNames.NodeOf(channel));

    [Fact]
    public void NodeOf_AnInvalidNodePartBeforeAValidOne_SkipsToTheValidOne()
    {
        var segment = NodeChannelNames.NodeSegment(Node);

        Assert.Equal(("127.0.0.1", 4053), NodeChannelNames.NodeOf($"node-zz.{segment}!x"));
    }

    [Fact]
    public void SegmentOf_ThisNodesName_IsItsOwnSegmentExactly()
    {
        var segment = NodeChannelNames.NodeSegment(Node);

        Assert.Equal(segment, NodeChannelNames.SegmentOf($"specific.{segment}!abc").ToString());
        Assert.True(NodeChannelNames.SegmentOf("specific.abc!def").IsEmpty);
    }

    [Fact]
    public void NodeOf_OverlongSegment_IsNullNotAStackOverflow()
    {
        var hex = string.Concat(Enumerable.Repeat("61", 100_000)) + "3a31";

        Assert.Null(NodeChannelNames.NodeOf($"specific.node-{hex}!x"));
    }
}
