namespace Supervision.Tests.Support;

/// <summary>
/// A controllable child, like OTP's <c>supervisor_1</c>: it records its start and stop in an
/// <see cref="EventLog"/> and obeys commands to exit in every way a test needs.
/// </summary>
public sealed class TestChild : Worker<TestChild.Command>
{
    private readonly EventLog _log;
    private readonly bool _ignoreStop;

    public TestChild(string id, EventLog log, bool ignoreStop = false, WorkerOptions? options = null)
        : base(options ?? new WorkerOptions { Name = id })
    {
        ChildId = id;
        _log = log;
        _ignoreStop = ignoreStop;
    }

    public string ChildId { get; }

    public abstract record Command;

    /// <summary>Crash with an exception.</summary>
    public sealed record Crash(string Message = "boom") : Command;

    /// <summary>Exit with the given reason (OTP's {stop, Reason}).</summary>
    public sealed record ExitWith(ExitReason Reason) : Command;

    /// <summary>Reply with the text, for calls.</summary>
    public sealed record Echo(string Text, Reply<string> Reply) : Command;

    /// <summary>Block the loop, ignoring the cancellation token, until released: a child that ignores its stop.</summary>
    public sealed record Hang(TaskCompletionSource Entered, Task Release) : Command;

    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _log.Add($"start:{ChildId}");
        if (_ignoreStop)
        {
            // Park the loop in a handler that ignores cancellation, so a graceful stop never completes.
            Tell(new Hang(new TaskCompletionSource(), new TaskCompletionSource().Task));
        }

        return ValueTask.CompletedTask;
    }

    protected override async ValueTask HandleAsync(Command message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Crash crash:
                throw new InvalidOperationException(crash.Message);
            case ExitWith exit:
                Stop(exit.Reason);
                break;
            case Echo echo:
                echo.Reply.Send(echo.Text);
                break;
            case Hang hang:
                hang.Entered.TrySetResult();
                await hang.Release;
                break;
        }
    }

    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _log.Add($"stop:{ChildId}:{reason.Kind.ToString().ToLowerInvariant()}");
        return ValueTask.CompletedTask;
    }
}
