using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Consumers;

/// <summary>Creates consumers with constructor injection and hands them their scope.</summary>
public abstract partial class ConsumerActor
{
    internal sealed class Producer(Type type, object[] arguments, ConnectionScope scope) : IIndirectActorProducer
    {
        private ObjectFactory? _factory;

        public Type ActorType => type;

        public ActorBase Produce()
        {
            var services = SwitchboardRuntime.Get(Context.System).Services;
            _factory ??= ActivatorUtilities.CreateFactory(type, [.. arguments.Select(a => a.GetType())]);
            var consumer = (ConsumerActor)_factory(services, arguments);
            consumer.Scope = scope;
            return consumer;
        }

        public void Release(ActorBase actor)
        {
        }
    }
}
