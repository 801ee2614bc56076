using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace ChatServer.Tests.Processes;

/// <summary>
/// A real child process with its stdin, stdout and stderr redirected. Stdout is read line by line
/// in the background; every wait is bounded, and a failed wait reports what the process printed.
/// Disposing kills the process (and its children) if it is still running and waits for it to go.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    /// <summary>How long a line or an exit is waited for unless told otherwise.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private RunningProcess(Process process, string description)
    {
        _process = process;
        Description = description;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The operating system's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Every stdout line read so far (a snapshot).</summary>
    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Everything read from stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. Environment variables in
    /// <paramref name="environment"/> are set (a null value removes one); variables whose names start
    /// with one of <paramref name="removeVariablesStartingWith"/> are not inherited.
    /// </summary>
    public static RunningProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? removeVariablesStartingWith = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (removeVariablesStartingWith is not null)
        {
            foreach (var name in info.Environment.Keys.Where(k => k.StartsWith(removeVariablesStartingWith, StringComparison.Ordinal)).ToList())
            {
                info.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var description = string.Join(' ', [fileName, .. info.ArgumentList]);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new AssertionException($"could not start {description}");
        }
        catch (Win32Exception exception)
        {
            throw new AssertionException($"could not start {description}: {exception.Message}");
        }

        process.StandardInput.AutoFlush = true;
        process.StandardInput.NewLine = "\n";
        return new RunningProcess(process, description);
    }

    /// <summary>Writes <paramref name="line"/> and a LF to the process's stdin.</summary>
    public async Task SendLineAsync(string line)
    {
        using var cancel = new CancellationTokenSource(DefaultWait);
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancel.Token);
        await _process.StandardInput.FlushAsync(cancel.Token);
    }

    /// <summary>Writes <paramref name="text"/> to the process's stdin as it is, with no line end added.</summary>
    public async Task SendAsync(string text)
    {
        using var cancel = new CancellationTokenSource(DefaultWait);
        await _process.StandardInput.WriteAsync(text.AsMemory(), cancel.Token);
        await _process.StandardInput.FlushAsync(cancel.Token);
    }

    /// <summary>Reads stdout until a line matches; fails on timeout or end of stdout, listing what was read.</summary>
    public async Task<string> ExpectLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new AssertionException($"{Description}: no stdout line {what} within {wait.TotalSeconds} s; {Transcript()}");
        }

        throw new AssertionException($"{Description}: stdout ended without a line {what}; {Transcript()}");
    }

    /// <summary>Reads stdout until exactly <paramref name="expected"/> arrives.</summary>
    public Task<string> ExpectLineAsync(string expected, TimeSpan? timeout = null) =>
        ExpectLineAsync(l => l == expected, $"\"{expected}\"", timeout);

    /// <summary>Waits (bounded) for the process to exit and for its output to be read; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new AssertionException($"{Description} did not exit within {wait.TotalSeconds} s; {Transcript()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM to the process with the system's <c>kill</c> command.</summary>
    public async Task TerminateAsync()
    {
        await using var kill = Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var exitCode = await kill.WaitForExitAsync();
        exitCode.Should().Be(0, $"kill -TERM {Id} should succeed; stderr: {kill.Stderr}");
    }

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Transcript() =>
        $"stdout: [{string.Join(" | ", Stdout)}]; stderr: [{Stderr.Trim()}]";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cancel = new CancellationTokenSource(DefaultWait);
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException or Win32Exception)
        {
            // Already gone, or it would not die: nothing more can be done here.
            TestContext.Progress.WriteLine($"{Description}: {exception.Message}");
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_stdout)
                {
                    _stdout.Add(line);
                }

                _lines.Writer.TryWrite(line);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away under the reader.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            var buffer = new char[4096];
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, read);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away under the reader.
        }
    }
}
