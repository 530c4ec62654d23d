using System.Text;
using Switchboard.Actors.Protocol;

namespace Switchboard.Actors.Tests.Protocol;

public sealed class SendFrameTests
{
    private static readonly ConnectionScope Scope = new() { Type = "websocket" };

    [Fact]
    public void FromUtf8_Text_IsTheDecodedUtf8()
    {
        var frame = SendFrame.FromUtf8(Encoding.UTF8.GetBytes("{\"message\":\"caf\u00e9\"}"));

        Assert.Equal("{\"message\":\"caf\u00e9\"}", frame.Text);
        Assert.Null(frame.Bytes);
    }

    [Fact]
    public void With_OtherText_DropsTheOldUtf8()
    {
        var frame = SendFrame.FromUtf8(Encoding.UTF8.GetBytes("old")) with { Text = "new" };

        Assert.Equal("new", frame.Text);
        Assert.Null(frame.Utf8);
    }

    [Fact]
    public void Equals_SameTextGivenAsStringOrUtf8_IsTrue()
    {
        var fromText = SendFrame.FromText("{\"a\":1}");
        var fromUtf8 = SendFrame.FromUtf8(Encoding.UTF8.GetBytes("{\"a\":1}"));

        Assert.Equal(fromText, fromUtf8);
        Assert.Equal(fromUtf8, fromText);
        Assert.Equal(fromText.GetHashCode(), fromUtf8.GetHashCode());
        Assert.NotEqual(fromText, SendFrame.FromUtf8(Encoding.UTF8.GetBytes("{\"a\":2}")));
        Assert.NotEqual(fromText, SendFrame.FromBytes(Encoding.UTF8.GetBytes("{\"a\":1}")));
    }

    [Fact]
    public void Validator_FrameFromUtf8_IsATextFrameAndStaysUndecoded()
    {
        var frame = SendFrame.FromUtf8(Encoding.UTF8.GetBytes("hi"));
        var scope = Scope;

        Assert.Equal(WebSocketState.Open, WebSocketCommandValidator.Apply(WebSocketState.Open, frame, scope));
        Assert.True(frame.IsText);
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = WebSocketCommandValidator.Apply(WebSocketState.Open, frame, scope);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Validator_TextAndBytes_IsAViolation() =>
        Assert.Throws<ProtocolViolationException>(() => WebSocketCommandValidator.Apply(WebSocketState.Open, new SendFrame("a", [1]), Scope));

    [Fact]
    public void Validator_Neither_IsAViolation() =>
        Assert.Throws<ProtocolViolationException>(() => WebSocketCommandValidator.Apply(WebSocketState.Open, new SendFrame(), Scope));
}
