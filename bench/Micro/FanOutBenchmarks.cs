using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using Switchboard.Actors.Layers;

namespace Switchboard.Bench.Micro;

/// <summary>
/// <see cref="InMemoryChannelLayer.SendToGroupAsync"/> to a group of <see cref="Members"/> bound actors, measured until
/// every member actor has received the message (each acknowledges it to its binding, as a consumer does).
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    public const string Group = "chat_lobby";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ActorSystem _system = null!;
    private InMemoryChannelLayer _layer = null!;
    private Countdown _countdown = null!;
    private BenchChatMessage _message = null!;

    /// <summary>Channels in the group.</summary>
    [Params(10, 1000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Starts the actor system and binds <see cref="Members"/> actors into <see cref="Group"/>.</summary>
    public async Task SetupAsync()
    {
        _system = ActorSystem.Create("micro", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _layer = new InMemoryChannelLayer();
        _countdown = new Countdown();
        _message = new BenchChatMessage("hello");
        for (var i = 0; i < Members; i++)
        {
            var member = _system.ActorOf(Props.Create(() => new Member(_layer, _countdown)));
            await member.Ask<Joined>(new Join(Group), Timeout);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(Timeout);

    /// <summary>One group send; returns how many members received it.</summary>
    [Benchmark]
    public async Task<int> GroupSend()
    {
        var delivered = _countdown.Reset(Members);
        await _layer.SendToGroupAsync(Group, _message);
        return await delivered.WaitAsync(Timeout);
    }

    private sealed record Join(string Group);

    private sealed record Joined(string Channel);

    /// <summary>Completes when the expected number of members signalled.</summary>
    private sealed class Countdown
    {
        private int _remaining;
        private int _expected;
        private TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<int> Reset(int expected)
        {
            _done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _expected = expected;
            Volatile.Write(ref _remaining, expected);
            return _done.Task;
        }

        public void Signal()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult(_expected);
            }
        }
    }

    /// <summary>A bound channel that acknowledges each delivery, as a consumer does, and counts it.</summary>
    private sealed class Member : ReceiveActor
    {
        private readonly IChannelLayer _layer;
        private ChannelBinding? _binding;

        public Member(IChannelLayer layer, Countdown countdown)
        {
            _layer = layer;
            ReceiveAsync<Join>(async join =>
            {
                _binding ??= _layer.Bind(Self);
                await _layer.AddToGroupAsync(join.Group, _binding.Name);
                Sender.Tell(new Joined(_binding.Name));
            });
            Receive<ChannelDelivery>(delivery =>
            {
                _binding?.Delivered();
                if (delivery.Message is BenchChatMessage)
                {
                    countdown.Signal();
                }
            });
        }

        protected override void PostStop() => _binding?.Dispose();
    }
}
