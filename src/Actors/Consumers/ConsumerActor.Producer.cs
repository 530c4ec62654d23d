using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Consumers;

/// <summary>Creates consumers with constructor injection and hands them their scope.</summary>
public abstract partial class ConsumerActor
{
    internal sealed class Producer(Type type, object[] arguments, ConnectionScope scope) : IIndirectActorProducer
    {
        // ActivatorUtilities.CreateFactory compiles an expression tree (a dynamic method, JIT-compiled): once per
        // consumer type and argument types for the process, not once per connection.
        private static readonly ConcurrentDictionary<Type, (Type[] ArgumentTypes, ObjectFactory Factory)> Factories = new();

        public Type ActorType => type;

        public ActorBase Produce()
        {
            var services = SwitchboardRuntime.Get(Context.System).Services;
            var consumer = (ConsumerActor)FactoryFor(type, arguments)(services, arguments);
            consumer.Scope = scope;
            return consumer;
        }

        public void Release(ActorBase actor)
        {
        }

        private static ObjectFactory FactoryFor(Type type, object[] arguments)
        {
            if (Factories.TryGetValue(type, out var cached) && Matches(cached.ArgumentTypes, arguments))
            {
                return cached.Factory;
            }

            Type[] argumentTypes = [.. arguments.Select(a => a.GetType())];
            var factory = ActivatorUtilities.CreateFactory(type, argumentTypes);
            Factories[type] = (argumentTypes, factory);
            return factory;
        }

        private static bool Matches(Type[] argumentTypes, object[] arguments)
        {
            if (argumentTypes.Length != arguments.Length)
            {
                return false;
            }

            for (var i = 0; i < arguments.Length; i++)
            {
                if (arguments[i].GetType() != argumentTypes[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
