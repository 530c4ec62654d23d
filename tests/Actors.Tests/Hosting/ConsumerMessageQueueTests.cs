using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Tests.Hosting;

public sealed class ConsumerMessageQueueTests
{
    private static Envelope Message(int n) => new(n, ActorRefs.NoSender);

    private static List<int> Drain(IMessageQueue queue)
    {
        var drained = new List<int>();
        while (queue.TryDequeue(out var envelope))
        {
            drained.Add((int)envelope.Message);
        }

        return drained;
    }

    [Fact]
    public void Empty_HasNothingToDequeue()
    {
        var queue = new ConsumerMessageQueue();

        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Messages_ComeOutInTheOrderTheyWentIn_AcrossGrowthAndWrapAround()
    {
        var queue = new ConsumerMessageQueue();
        var expected = new List<int>();
        var next = 0;

        // Interleaved so that the ring's head moves before it grows: growth must unroll a wrapped ring in order.
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 3 + (round % 7); i++)
            {
                queue.Enqueue(ActorRefs.Nobody, Message(next));
                expected.Add(next++);
            }

            for (var i = 0; i < 2 && queue.TryDequeue(out var envelope); i++)
            {
                Assert.Equal(expected[0], (int)envelope.Message);
                expected.RemoveAt(0);
            }

            Assert.Equal(expected.Count, queue.Count);
        }

        Assert.Equal(expected, Drain(queue));
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void AQueueDrainedAfterABurst_TakesNewMessagesInOrder()
    {
        var queue = new ConsumerMessageQueue();
        for (var i = 0; i < 1000; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, Message(i));
        }

        Assert.Equal(Enumerable.Range(0, 1000), Drain(queue));

        queue.Enqueue(ActorRefs.Nobody, Message(7));
        queue.Enqueue(ActorRefs.Nobody, Message(8));
        Assert.Equal([7, 8], Drain(queue));
    }

    [Fact]
    public async Task ConcurrentProducers_LoseNothing_AndEachProducersOrderIsKept()
    {
        const int producers = 4;
        const int perProducer = 20_000;
        var queue = new ConsumerMessageQueue();
        var received = new List<int>[producers];
        for (var p = 0; p < producers; p++)
        {
            received[p] = [];
        }

        var writers = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                queue.Enqueue(ActorRefs.Nobody, Message((p * perProducer) + i));
            }
        })).ToArray();

        // One reader, as an actor's turn is: it dequeues while the writers are still writing.
        var total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (total < producers * perProducer && DateTime.UtcNow < deadline)
        {
            if (queue.TryDequeue(out var envelope))
            {
                var value = (int)envelope.Message;
                received[value / perProducer].Add(value % perProducer);
                total++;
            }
        }

        await Task.WhenAll(writers);
        Assert.Equal(producers * perProducer, total);
        foreach (var list in received)
        {
            Assert.Equal(Enumerable.Range(0, perProducer), list);
        }
    }

    [Fact]
    public void CleanUp_HandsWhatIsLeftToTheDeadLetterQueue()
    {
        var queue = new ConsumerMessageQueue();
        var deadLetters = new ConsumerMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, Message(1));
        queue.Enqueue(ActorRefs.Nobody, Message(2));

        queue.CleanUp(ActorRefs.Nobody, deadLetters);

        Assert.False(queue.HasMessages);
        Assert.Equal([1, 2], Drain(deadLetters));
    }
}
