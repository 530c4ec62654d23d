namespace Switchboard.Actors.Protocol;

/// <summary>The first message a started consumer receives: the transport it talks to. Sent by the routing actor.</summary>
internal sealed record AttachTransport(IConnectionTransport Transport);
