using Microsoft.AspNetCore.Builder;
using Switchboard.Samples.Chat;
using Switchboard.Testing;

namespace Switchboard.EndToEnd.Tests;

/// <summary>The chat sample's own host, started on a free loopback port.</summary>
public sealed class ChatServer : LiveServerFixture
{
    protected override WebApplication CreateHost(string url) => ChatHost.Build(["--urls", url]);
}
