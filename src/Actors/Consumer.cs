using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors;

/// <summary>Makes a consumer class an application: Channels' <c>as_asgi()</c>.</summary>
public static class Consumer
{
    /// <summary>
    /// An application that serves each connection with a new <typeparamref name="TConsumer"/>, constructed from the
    /// host's service provider (constructor injection) plus any extra <paramref name="arguments"/>.
    /// </summary>
    public static IApplication Of<TConsumer>(params object[] arguments) where TConsumer : ConsumerActor =>
        new ConsumerApplication(typeof(TConsumer), arguments);

    private sealed class ConsumerApplication(Type type, object[] arguments) : IApplication
    {
        public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) =>
            new(Props.CreateBy(new ConsumerActor.Producer(type, arguments, scope)));

        public override string ToString() => $"Consumer.Of<{type.Name}>()";
    }
}
