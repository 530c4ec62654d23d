using System.Text;
using System.Text.Json;
using Switchboard.Actors;
using Switchboard.Bench.Micro;

namespace Switchboard.Bench.Tests;

/// <summary>
/// Each micro-benchmark method called once, directly (not through BenchmarkDotNet), with its result checked: a
/// benchmark that stopped doing what its name says fails here instead of reporting a flattering time.
/// </summary>
public sealed class MicroBenchmarkTests
{
    [Fact]
    public async Task ResolveOpenRoom_ChatTree_ResolvesTheChatConsumerWithItsRoom()
    {
        var benchmarks = new RoutingBenchmarks();
        benchmarks.Setup();

        var props = await benchmarks.ResolveOpenRoom();

        Assert.Equal(typeof(BenchChatConsumer), props.Type);
    }

    [Fact]
    public async Task RefuseUnknownPath_ChatTree_RefusesWithNoRoute()
    {
        var benchmarks = new RoutingBenchmarks();
        benchmarks.Setup();

        var refusal = await benchmarks.RefuseUnknownPath();

        Assert.Contains("No route found", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatTree_ForeignOrigin_IsRefused()
    {
        // The benchmark's tree really runs the origin check (it is not a bare URL router).
        var scope = RoutingBenchmarks.Handshake("/ws/chat/lobby/") with
        {
            Headers = [new("host", "127.0.0.1:8000"), new("origin", "http://evil.example")],
        };

        await Assert.ThrowsAsync<ConnectionRefusedException>(async () => await RoutingBenchmarks.ChatLikeApplication.ResolveAsync(scope));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1024)]
    public void FrameBenchmarks_EachMethod_EncodesAndDecodesTheChatMessage(int length)
    {
        var benchmarks = new FrameBenchmarks { MessageLength = length };
        benchmarks.Setup();
        var text = FrameBenchmarks.Text(length);
        var json = JsonSerializer.Serialize(new { message = text });

        var frame = benchmarks.EncodeJson();
        var encoded = benchmarks.EncodeTextFrame();
        var decoded = benchmarks.DecodeJson();

        Assert.Equal(json, frame.Text);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), encoded);
        Assert.Equal(text, decoded);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1024)]
    public void EnvelopeBenchmarks_SerializeThenDeserialize_GiveTheEnvelopeBack(int length)
    {
        var benchmarks = new EnvelopeBenchmarks { MessageLength = length };
        benchmarks.Setup();
        try
        {
            var bytes = benchmarks.Serialize();
            var back = benchmarks.Deserialize();

            // The bytes hold the group name and the message's text, and read back as the same message.
            Assert.True(bytes.Length > length + EnvelopeBenchmarks.Group.Length);
            Assert.Contains(EnvelopeBenchmarks.Group, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            var message = back.GetType().GetProperty("Message")!.GetValue(back);
            Assert.Equal(benchmarks.Message, message);
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public async Task GroupSend_ThreeMembers_EveryMemberReceivesEachSend()
    {
        var benchmarks = new FanOutBenchmarks { Members = 3 };
        await benchmarks.SetupAsync();
        try
        {
            Assert.Equal(3, await benchmarks.GroupSend());
            Assert.Equal(3, await benchmarks.GroupSend());
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }
}
