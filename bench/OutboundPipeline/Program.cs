// Akka.Streams or System.Threading.Channels for the outbound queue of each socket? Measured, not guessed (docs/decisions.md).
using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

// The per-socket outbound pipeline: a producer (the consumer actor) offers frames without blocking; one writer drains
// them to the socket (here: a no-op async write). Compare System.Threading.Channels with Akka.Streams' Source.Queue.
const int N = 2_000_000;
var system = ActorSystem.Create("q");
var materializer = system.Materializer();
for (var round = 0; round < 3; round++)
{
    // System.Threading.Channels, bounded 1024, TryWrite from the producer (spin when full, for the measurement).
    var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    var alloc0 = GC.GetTotalAllocatedBytes(true);
    var sw = Stopwatch.StartNew();
    var reader = Task.Run(async () => { var n = 0; await foreach (var item in channel.Reader.ReadAllAsync()) { await Write(item); n++; } return n; });
    for (var i = 0; i < N; i++) { while (!channel.Writer.TryWrite("frame")) { await Task.Yield(); } }
    channel.Writer.Complete();
    await reader;
    var ch = N / sw.Elapsed.TotalSeconds;
    var chAlloc = (GC.GetTotalAllocatedBytes(true) - alloc0) / (double)N;

    // Akka.Streams Source.Queue, 1024, Backpressure; OfferAsync awaited one at a time (as an actor must), SelectAsync(1) write.
    alloc0 = GC.GetTotalAllocatedBytes(true);
    sw.Restart();
    var (queue, done) = Source.Queue<string>(1024, OverflowStrategy.Backpressure)
        .SelectAsync(1, async item => { await Write(item); return item; })
        .ToMaterialized(Sink.Ignore<string>(), Keep.Both).Run(materializer);
    for (var i = 0; i < N; i++) { await queue.OfferAsync("frame"); }
    queue.Complete();
    await done;
    var st = N / sw.Elapsed.TotalSeconds;
    var stAlloc = (GC.GetTotalAllocatedBytes(true) - alloc0) / (double)N;
    Console.WriteLine($"round {round}: Channel<T> {ch:N0}/s {chAlloc:0.0} B/item | Source.Queue {st:N0}/s {stAlloc:0.0} B/item | ratio {ch / st:0.0}x");
}
await system.Terminate();

static ValueTask Write(string item) => ValueTask.CompletedTask;
