using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// The TestKit consumer tests run on: an actor system whose Switchboard logs are recorded, and waits that are
/// bounded but generous (the test machine is small and shared), except <see cref="Quiet"/>, the window in which
/// "nothing happens" is checked.
/// </summary>
public abstract class ConsumerTestKit : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    protected ConsumerTestKit(ITestOutputHelper output, string? config = null, IChannelLayer? layer = null)
        : this(new LogRecorder(), output, config, layer)
    {
    }

    private ConsumerTestKit(LogRecorder logs, ITestOutputHelper output, string? config, IChannelLayer? layer)
        : base(CreateSetup(config, new SwitchboardSetup { LoggerFactory = logs, ChannelLayer = layer }), output: output) =>
        Logs = logs;

    /// <summary>What Switchboard logged in this test's system.</summary>
    protected LogRecorder Logs { get; }

    /// <summary>The channel layer of this test's system.</summary>
    protected IChannelLayer Layer => SwitchboardRuntime.Get(Sys).ChannelLayer;

    /// <summary>An actor system set up with <paramref name="switchboard"/> on top of the TestKit's defaults.</summary>
    public static ActorSystemSetup CreateSetup(string? config, SwitchboardSetup switchboard)
    {
        var hocon = ConfigurationFactory.ParseString(config ?? "").WithFallback(DefaultConfig);
        return BootstrapSetup.Create().WithConfig(hocon).And(switchboard);
    }

    /// <summary>A communicator for <paramref name="application"/> at <paramref name="path"/>.</summary>
    protected WebSocketCommunicator Communicator(IApplication application, string path = "/ws/", IEnumerable<string>? subprotocols = null) =>
        new(Sys, application, path, subprotocols: subprotocols);

    /// <summary>A communicator that has connected and been accepted.</summary>
    protected async Task<WebSocketCommunicator> ConnectedAsync(IApplication application, string path = "/ws/")
    {
        var communicator = Communicator(application, path);
        var result = await communicator.ConnectAsync(Timeout);
        Assert.True(result.Accepted, $"The consumer refused the connection: {result}.");
        return communicator;
    }

    /// <summary>Waits, bounded, until an entry matching <paramref name="match"/> was logged at <paramref name="level"/>.</summary>
    protected async Task<LogRecorder.LogEntry> LoggedAsync(LogLevel level, Func<LogRecorder.LogEntry, bool> match)
    {
        LogRecorder.LogEntry? found = null;
        await AwaitConditionAsync(
            () => Task.FromResult((found = Logs.Entries.FirstOrDefault(e => e.Level == level && match(e))) is not null),
            Timeout);
        return found!;
    }

    /// <summary>Waits for a <see cref="IActorRef"/> the consumer reported, and watches it.</summary>
    protected async Task<IActorRef> WatchReportedAsync()
    {
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        Watch(consumer);
        return consumer;
    }
}
