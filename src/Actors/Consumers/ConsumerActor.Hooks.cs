using Akka.Actor;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// How hooks and handlers run. A hook starts inline, on its message's turn, with a synchronization context that brings
/// whatever it awaits back to the actor. Almost every hook completes before it returns: then it is done, with no task
/// scheduled and the mailbox left running, and a failure is handled there and then. Only a hook that returns an unfinished
/// task makes the actor wait for it as <see cref="UntypedActor.RunTask(Func{Task})"/> does: the mailbox is suspended (system
/// messages still run, so its continuations do), and the next message is handled once it has completed.
/// </summary>
/// <remarks>
/// Akka's own way, <c>RunTask</c> for every hook, suspended and resumed the mailbox and allocated a task, an unwrap and a
/// continuation per message even when the hook had nothing to wait for. What a continuation sees is unchanged: it runs
/// in the actor's context (Self, Sender, Context, fields), one at a time with the actor's other work. What differs is
/// <see cref="TaskScheduler.Current"/> before a hook's first await: the default scheduler, not the actor's, so
/// <c>ContinueWith</c> or <c>StartNew</c> without an explicit scheduler do not come back to the actor; <c>await</c> does.
/// </remarks>
public abstract partial class ConsumerActor
{
    private HookContext? _hookContext;

    /// <summary>Runs an async hook; no other message is handled until it completes. A failure stops the consumer.</summary>
    /// <remarks>A static lambda and a state (rather than a closure) keep a hook that completes at once free of allocations.</remarks>
    private protected void RunHook<TState>(Func<TState, Task> hook, TState state)
    {
        var task = Start(hook, state);
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        if (task.IsCompleted)
        {
            FailWithExceptionOf(task);
            return;
        }

        AwaitHook(task);
    }

    /// <summary>
    /// Suspends the mailbox until <paramref name="hook"/> completes. A method of its own, because a lambda that captures
    /// a local makes the compiler allocate its closure where that local's scope begins: in <see cref="RunHook"/>, that
    /// was once per message, for hooks that never got here.
    /// </summary>
    private void AwaitHook(Task hook) => RunTask(() => AwaitHookAsync(hook));

    /// <summary>An unhandled exception in a hook or handler: runs <see cref="FailAsync"/> as a hook of its own.</summary>
    private protected void Fail(Exception error)
    {
        var task = Start(static s => s.Self.FailAsync(s.Error), (Self: this, Error: error));
        if (task.IsCompleted)
        {
            // As RunTask would: a failure of the failure handling itself goes to the actor's supervisor.
            task.GetAwaiter().GetResult();
            return;
        }

        RunTask(() => task);
    }

    /// <summary>
    /// Leaves the hooks' synchronization context until disposed: for code that is not the consumer's (a transport), so that
    /// nothing it awaits without <c>ConfigureAwait(false)</c> resumes as work queued to this actor.
    /// </summary>
    private protected static OutsideHooks LeaveHookContext() => new(SynchronizationContext.Current);

    /// <summary>Calls <paramref name="hook"/> under the actor's synchronization context; a throw becomes a faulted task.</summary>
    private Task Start<TState>(Func<TState, Task> hook, TState state)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_hookContext ??= new HookContext(((ActorCell)Context).TaskScheduler));
        try
        {
            return hook(state) ?? Task.FromException(new InvalidOperationException("A hook or handler returned null instead of a task."));
        }
#pragma warning disable CA1031 // A consumer's failure must close its own connection, never escape.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException(e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void FailWithExceptionOf(Task failed)
    {
        try
        {
            // Throws what an await would: the first exception of a faulted task, or TaskCanceledException.
            failed.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // A consumer's failure must close its own connection, never escape.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e);
        }
    }

    /// <summary>The rest of an unfinished hook, run by <c>RunTask</c>: on the actor's scheduler, with the mailbox suspended.</summary>
    private async Task AwaitHookAsync(Task hook)
    {
        try
        {
            await hook;
        }
#pragma warning disable CA1031 // A consumer's failure must close its own connection, never escape.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await FailAsync(e);
        }
    }

    /// <summary>The scope of <see cref="LeaveHookContext"/>.</summary>
    private protected readonly ref struct OutsideHooks
    {
        private readonly SynchronizationContext? _left;

        internal OutsideHooks(SynchronizationContext? current)
        {
            if (current is HookContext)
            {
                _left = current;
                SynchronizationContext.SetSynchronizationContext(null);
            }
        }

        public void Dispose()
        {
            if (_left is not null)
            {
                SynchronizationContext.SetSynchronizationContext(_left);
            }
        }
    }

    /// <summary>
    /// A hook's synchronization context: a continuation posted to it runs as a task on the actor's task scheduler, which
    /// runs it at once when already in the actor's context, and otherwise as a system message to the actor (the path
    /// <c>RunTask</c>'s continuations take).
    /// </summary>
    private sealed class HookContext(TaskScheduler actor) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            Task.Factory.StartNew(
                static posted => ((Posted)posted!).Run(),
                new Posted(d, state),
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach,
                actor);

        public override SynchronizationContext CreateCopy() => this;

        private sealed record Posted(SendOrPostCallback Callback, object? State)
        {
            public void Run() => Callback(State);
        }
    }
}
