// The csharp blocks of docs/consumers.md, verbatim, one paragraph at a time (DocsExamplesTests checks it and runs
// the echo consumer). Change the guide and this file together.
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Layers;

namespace Switchboard.Gateway.Tests.Docs.Consumers;

public sealed class EchoConsumer : WebSocketConsumer
{
    private int _count;                                   // this connection's state

    protected override Task OnConnectAsync() => AcceptAsync();   // the default: accept

    protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
        text is not null ? SendAsync($"{++_count}: {text}") : SendAsync(bytes!);

    protected override Task OnDisconnectAsync(int code) => Task.CompletedTask;
}

public sealed record ChatMessage(string Message) : IChannelMessage;

public sealed record Tick;

public sealed class ChatConsumer : JsonWebSocketConsumer
{
    private int _ticks;

    public int Ticks => _ticks;

    public ChatConsumer()
    {
        Handle<ChatMessage>(m => SendJsonAsync(new { message = m.Message }));   // async handler
        Handle<Tick>(_ => _ticks++);                                             // sync handler
    }

    protected override Task OnConnectAsync()
    {
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));  // Akka timers
        return AcceptAsync();
    }
}

public sealed class ForwardingChatConsumer : JsonWebSocketConsumer
{
    public ForwardingChatConsumer() => ForwardJson<ChatMessage>();   // in place of Handle<ChatMessage>(SendJsonAsync)
}
