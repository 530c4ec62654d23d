using System.Diagnostics.CodeAnalysis;
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
    public void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    public Exception? Failure => Volatile.Read(ref _failure)?.SourceException;

    /// <summary>
    /// Takes the next command if one is queued; when none is and the consumer has failed, rethrows its exception.
    /// The consumer records its failure after everything it sent, so reading the failure before the queue means
    /// that a command sent before the failure is always returned before the failure is thrown.
    /// </summary>
    public bool TryReadOrThrowFailure([MaybeNullWhen(false)] out OutboundCommand command)
    {
        var failure = Volatile.Read(ref _failure);
        if (_output.Reader.TryRead(out command))
        {
            return true;
        }

        failure?.Throw();
        return false;
    }

    /// <summary>Whether a command is queued; when none is and the consumer has failed, rethrows its exception (same order as <see cref="TryReadOrThrowFailure"/>).</summary>
    public bool HasOutputOrThrowFailure()
    {
        var failure = Volatile.Read(ref _failure);
        if (_output.Reader.TryPeek(out _))
        {
            return true;
        }

        failure?.Throw();
        return false;
    }

    public void Send(OutboundCommand command) => _output.Writer.TryWrite(command);

    public void FrameProcessed()
    {
    }

    public void Fail(Exception error)
    {
        Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(error), null);
        _failed.TrySetResult();
    }

    public void FailAfterClose(Exception error) => Fail(error);

    public void ConsumerStopped() => _stopped.TrySetResult();
}
