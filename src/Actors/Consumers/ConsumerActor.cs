using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// The base of every consumer: an actor that serves one connection (or one worker channel), with the
/// connection's <see cref="Scope"/>, its <see cref="ChannelName"/> on the <see cref="ChannelLayer"/>, and
/// typed handlers for channel-layer and timer messages registered with <see cref="Handle{T}(Func{T, Task})"/>.
/// Messages are handled one at a time, in arrival order, including while an async handler awaits.
/// </summary>
public abstract partial class ConsumerActor : UntypedActor, IWithTimers
{
    private readonly HandlerTable _handlers = new();
    private ChannelBinding? _binding;
    private ConnectionScope? _scope;
    private ChannelDelivery? _delivery;

    /// <summary>Creates the consumer; call <see cref="Handle{T}(Func{T, Task})"/> from your constructor.</summary>
    protected ConsumerActor()
    {
        Runtime = SwitchboardRuntime.Get(Context.System);
        Logger = Runtime.LoggerFactory.CreateLogger(GetType());
        var runtime = Runtime;
        Layer = new ConsumerChannelLayer(() => runtime.ChannelLayer, () => _binding?.Name, runtime.ConsumerSettings.MaxGroups);
    }

    /// <summary>The connection's scope: path, headers, user, url route and the rest.</summary>
    public ConnectionScope Scope
    {
        get => _scope ?? throw new InvalidOperationException("The scope is set after construction: read it from PreStart or a hook, not from the constructor.");
        internal set => _scope = value;
    }

    /// <summary>This consumer's channel name: any code can send it a message through the channel layer with it.</summary>
    public string ChannelName => _binding?.Name ?? throw new InvalidOperationException("The channel name is bound when the consumer starts: read it from a hook, not from the constructor.");

    /// <summary>
    /// The channel layer: groups and direct messages to other consumers. Groups this consumer's own channel joins
    /// through it count towards <c>switchboard.consumer.max-groups</c>; one join too many throws
    /// <see cref="TooManyGroupsException"/>.
    /// </summary>
    public IChannelLayer ChannelLayer => Layer;

    /// <summary>Akka timers: schedule a message to this consumer (handled like any other message).</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A logger named after the consumer's type.</summary>
    protected ILogger Logger { get; }

    internal SwitchboardRuntime Runtime { get; }

    /// <summary>The layer behind <see cref="ChannelLayer"/>, which counts this consumer's groups.</summary>
    private protected ConsumerChannelLayer Layer { get; }

    /// <summary>
    /// Registers an async handler for messages of type <typeparamref name="T"/> (or a subtype) from the channel
    /// layer, timers or other actors. The next message waits until the returned task completes.
    /// </summary>
    protected void Handle<T>(Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(typeof(T), new MessageHandler(m => handler((T)m), null));
    }

    /// <summary>Registers a synchronous handler for messages of type <typeparamref name="T"/> (or a subtype).</summary>
    protected void Handle<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(typeof(T), new MessageHandler(null, m => handler((T)m)));
    }

    /// <summary>
    /// The group send whose message is being handled, while its handler runs up to its first await; otherwise null.
    /// Every local member of a group send gets the same delivery, so what one member makes of the message can be kept on
    /// it for the others (<see cref="ChannelDelivery.EncodingSlot"/>).
    /// </summary>
    private protected ChannelDelivery? HandlingGroupSend => _delivery is { IsGroupSend: true } delivery ? delivery : null;

    /// <summary>Binds the consumer's channel; a worker consumer binds its named channel instead.</summary>
    private protected virtual ChannelBinding BindChannel() => ChannelLayer.Bind(Self);

    /// <summary>What forwards some of this consumer's channel-layer messages without its turn; none by default.</summary>
    private protected virtual IDeliveryForwarder? Forwarder => null;

    /// <inheritdoc />
    protected override void PreStart()
    {
        _binding = BindChannel();
        _binding.Forwarder = Forwarder;
        base.PreStart();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _binding?.Dispose();
        OnStopped();
        base.PostStop();
    }

    /// <summary>Runs when the actor has stopped, whatever the reason.</summary>
    private protected virtual void OnStopped()
    {
    }

    /// <inheritdoc />
    protected sealed override void OnReceive(object message)
    {
        if (message is ChannelDelivery delivery)
        {
            if (delivery.IsExpired)
            {
                _binding?.Delivered();
                ConsumerLog.MessageExpired(Logger, delivery.Message.GetType().Name, _binding?.Name);
                return;
            }

            _delivery = delivery;
            try
            {
                Dispatch(delivery.Message);
            }
            finally
            {
                _delivery = null;

                // Counted as delivered once its handler has run (up to its first await), not when it was taken off the
                // mailbox: until then the layer does not forward newer messages past it (IDeliveryForwarder).
                _binding?.Delivered();
            }
        }
        else if (!OnFrameworkMessage(message))
        {
            Dispatch(message);
        }
    }

    /// <summary>Handles the transport's events; returns false for a message that is not one.</summary>
    private protected virtual bool OnFrameworkMessage(object message) => false;

    private void Dispatch(object message)
    {
        var handler = _handlers.Find(message.GetType());
        if (handler is null)
        {
            ConsumerLog.NoHandler(Logger, message.GetType().FullName, GetType().Name, _binding?.Name);
            return;
        }

        if (handler.Sync is { } sync)
        {
            try
            {
                sync(message);
            }
#pragma warning disable CA1031 // A consumer's failure must close its own connection, never escape.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Fail(e);
            }

            return;
        }

        RunHook(static s => s.Handler(s.Message), (Handler: handler.Async!, Message: message));
    }

    /// <summary>An unhandled exception: log it with the connection's context, close the connection, stop.</summary>
    private protected virtual Task FailAsync(Exception error)
    {
        ConsumerLog.ConsumerFailed(Logger, error, GetType().Name, _scope?.Path, _binding?.Name);
        Context.Stop(Self);
        return Task.CompletedTask;
    }

    private sealed record MessageHandler(Func<object, Task>? Async, Action<object>? Sync);

    private sealed class HandlerTable
    {
        private readonly List<(Type Type, MessageHandler Handler)> _declared = [];
        private readonly Dictionary<Type, MessageHandler?> _resolved = [];

        public void Add(Type type, MessageHandler handler)
        {
            if (_declared.Exists(d => d.Type == type))
            {
                throw new InvalidOperationException($"A handler for {type.Name} is already registered: each message type has one handler.");
            }

            _declared.Add((type, handler));
            _resolved.Clear();
        }

        public MessageHandler? Find(Type type)
        {
            if (_resolved.TryGetValue(type, out var handler))
            {
                return handler;
            }

            handler = null;
            foreach (var (declared, candidate) in _declared)
            {
                if (declared == type)
                {
                    handler = candidate;
                    break;
                }

                if (handler is null && declared.IsAssignableFrom(type))
                {
                    handler = candidate;
                }
            }

            _resolved[type] = handler;
            return handler;
        }
    }
}
