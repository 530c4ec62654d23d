using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Protocol;
using Switchboard.Routing;

namespace Switchboard.Testing;

/// <summary>
/// Runs one connection of an application in memory and exchanges raw protocol messages with its consumer:
/// <see cref="SendInputAsync"/> plays the transport's events, <see cref="ReceiveOutputAsync(TimeSpan?)"/> reads the consumer's
/// commands. The application is resolved through a real routing actor, exactly as the gateway does.
/// An exception thrown by the consumer is rethrown, with its original type, by the next call.
/// </summary>
public class ApplicationCommunicator : IAsyncDisposable
{
    /// <summary>How long a call waits when no timeout is given (Channels' default: 1 second).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    private readonly ActorSystem _system;
    private readonly IApplication _application;
    private readonly CommunicatorTransport _transport = new();
    private IActorRef? _router;
    private IActorRef? _consumer;
    private ConnectionRefused? _refusal;

    /// <summary>Creates a communicator for <paramref name="application"/> serving <paramref name="scope"/>.</summary>
    public ApplicationCommunicator(ActorSystem system, IApplication application, ConnectionScope scope)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _application = application ?? throw new ArgumentNullException(nameof(application));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
    }

    /// <summary>The scope the application is resolved with. Set it (for example its user) before the first call.</summary>
    public ConnectionScope Scope { get; set; }

    /// <summary>Why the application refused the connection at resolve time, if it did (HTTP status and reason).</summary>
    public ConnectionRefused? Refusal => _refusal;

    /// <summary>The consumer actor, once started.</summary>
    public IActorRef? Consumer => _consumer;

    /// <summary>Whether the consumer actor has stopped.</summary>
    public bool HasStopped => _transport.HasStopped;

    /// <summary>Resolves the application and starts the consumer, if not done yet. False when the application refused.</summary>
    public async Task<bool> StartAsync(TimeSpan? timeout = null)
    {
        if (_consumer is not null || _refusal is not null)
        {
            return _consumer is not null;
        }

        _router = _system.ActorOf(RoutingActor.Props(_application));
        var wait = timeout ?? DefaultTimeout;
        object reply;
        try
        {
            reply = await _router.Ask<object>(new OpenConnection(Scope, _transport, wait), wait);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"Timed out after {wait.TotalSeconds:0.###} s waiting for the application to resolve path '{Scope.Path}'.");
        }

        switch (reply)
        {
            case ConnectionOpened opened:
                _consumer = opened.Consumer;
                return true;
            case ConnectionRefused refused when refused.Error is { } error:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
                return false;
            case ConnectionRefused refused:
                _refusal = refused;
                return false;
            default:
                throw new InvalidOperationException($"Unexpected answer from the routing actor: {reply}.");
        }
    }

    /// <summary>Sends an event to the consumer, as the transport would.</summary>
    public async Task SendInputAsync(ConnectionEvent input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await StartAsync())
        {
            throw new InvalidOperationException($"The application refused the connection ({_refusal!.StatusCode}: {_refusal.Reason}); there is no consumer to send to.");
        }

        _transport.ThrowIfFailed();
        _consumer!.Tell(input);
    }

    /// <summary>Waits for the consumer's next command.</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time (the message says what and how long).</exception>
    public Task<OutboundCommand> ReceiveOutputAsync(TimeSpan? timeout = null) => ReceiveOutputAsync(timeout, "output from the consumer");

    /// <summary>Waits for the consumer's next command; a timeout's message says it waited for <paramref name="awaited"/>.</summary>
    internal async Task<OutboundCommand> ReceiveOutputAsync(TimeSpan? timeout, string awaited)
    {
        var wait = timeout ?? DefaultTimeout;

        // What the consumer sent before it failed comes first; its exception surfaces once nothing is left.
        if (_transport.TryReadOrThrowFailure(out var queued))
        {
            return queued;
        }

        using var cancel = new CancellationTokenSource(wait);
        var read = _transport.Output.ReadAsync(cancel.Token).AsTask();
        if (await Task.WhenAny(read, _transport.Failed) != read)
        {
            // Stop the pending read rather than abandon it: an abandoned read would swallow the next command.
            // A command handed to it just before the failure is still returned below.
            await cancel.CancelAsync();
        }

        try
        {
            return await read;
        }
        catch (OperationCanceledException)
        {
            if (_transport.TryReadOrThrowFailure(out var late))
            {
                return late;
            }

            throw new TimeoutException($"Timed out after {wait.TotalSeconds:0.###} s waiting for {awaited}{(_transport.HasStopped ? " (it has stopped)" : "")}.");
        }
    }

    /// <summary>
    /// True when the consumer sends nothing within <paramref name="timeout"/> (default 0.1 s); false as soon as it sends
    /// something. A consumer that fails during the window has its exception rethrown at once.
    /// </summary>
    public async Task<bool> ReceiveNothingAsync(TimeSpan? timeout = null)
    {
        if (_transport.HasOutputOrThrowFailure())
        {
            return false;
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMilliseconds(100));
        var waiting = _transport.Output.WaitToReadAsync(cancel.Token).AsTask();
        await Task.WhenAny(waiting, _transport.Failed);
        await cancel.CancelAsync();
        try
        {
            await waiting;
        }
        catch (OperationCanceledException)
        {
            // The window ended, or the consumer failed.
        }

        return !_transport.HasOutputOrThrowFailure();
    }

    /// <summary>Waits until the consumer actor has stopped; if it stopped because it failed, rethrows its exception (Channels' <c>wait()</c>).</summary>
    public async Task WaitStoppedAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultTimeout;
        try
        {
            await _transport.Stopped.WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {wait.TotalSeconds:0.###} s waiting for the consumer to stop.");
        }

        _transport.ThrowIfFailed();
    }

    /// <summary>Stops the consumer if it is still running.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (_consumer is { } consumer && !_transport.HasStopped)
        {
            try
            {
                await consumer.GracefulStop(TimeSpan.FromSeconds(3));
            }
            catch (TaskCanceledException)
            {
                // Gone already.
            }
        }

        if (_router is { } router)
        {
            _system.Stop(router);
        }

        GC.SuppressFinalize(this);
    }
}
