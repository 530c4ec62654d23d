using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Switchboard.Actors.Protocol;

namespace Switchboard.Testing;

/// <summary>The in-memory transport a communicator plays: records what the consumer sends and how it ended.</summary>
internal sealed class CommunicatorTransport : IConnectionTransport
{
    private readonly Channel<OutboundCommand> _output = Channel.CreateUnbounded<OutboundCommand>();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExceptionDispatchInfo? _failure;

    /// <summary>Completes when the consumer reports an unhandled exception.</summary>
    public Task Failed => _failed.Task;

    public ChannelReader<OutboundCommand> Output => _output.Reader;

    public Task Stopped => _stopped.Task;

    public bool HasStopped => _stopped.Task.IsCompleted;

    /// <summary>The consumer's unhandled exception, rethrown with its original type and stack.</summary>
    public void ThrowIfFailed() => _failure?.Throw();

    public Exception? Failure => _failure?.SourceException;

    public void Send(OutboundCommand command) => _output.Writer.TryWrite(command);

    public void FrameProcessed()
    {
    }

    public void Fail(Exception error)
    {
        _failure ??= ExceptionDispatchInfo.Capture(error);
        _failed.TrySetResult();
    }

    public void ConsumerStopped() => _stopped.TrySetResult();
}
