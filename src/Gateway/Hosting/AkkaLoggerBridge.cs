using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Hosting;

namespace Switchboard.Gateway.Hosting;

/// <summary>Akka's logger that writes Akka's own log events to the host's <see cref="ILoggerFactory"/>.</summary>
public sealed class AkkaLoggerBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Created by Akka from <c>akka.loggers</c>.</summary>
    public AkkaLoggerBridge()
    {
        // Read from the setup, not the runtime extension: loggers start before the rest of the system is ready.
        var setup = Context.System.Settings.Setup.Get<SwitchboardSetup>();
        var factory = (setup.HasValue ? setup.Value.LoggerFactory : null) ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            var logger = factory.CreateLogger("Akka." + (e.LogClass?.Name ?? e.LogSource));
            var level = e.LogLevel() switch
            {
                Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
                Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
                Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
                _ => Microsoft.Extensions.Logging.LogLevel.Error,
            };
            if (logger.IsEnabled(level))
            {
#pragma warning disable CA1848, CA2254 // Akka hands over preformatted messages.
                logger.Log(level, e.Cause, "{AkkaSource}: {AkkaMessage}", e.LogSource, e.Message);
#pragma warning restore CA1848, CA2254
            }
        });
    }
}
