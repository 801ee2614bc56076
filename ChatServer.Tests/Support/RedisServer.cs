using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using ChatServer.Tests.Processes;

namespace ChatServer.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> for one test, run as a child process (never the system service) on a
/// free loopback port with its own fresh data directory and an append-only file fsynced on every
/// write, so that a stop, a restart or even a SIGKILL loses nothing acknowledged. Its log goes to
/// stdout, which is captured and quoted in failure messages. Linux only (signals and <c>/proc</c>).
/// Disposing kills the process and deletes the data directory.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>How long a start or restart may take until the server answers PING with PONG (a loaded 2-core machine).</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="StopAsync"/> waits after SIGTERM before it sends SIGKILL.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    /// <summary>How long <see cref="CommandAsync(string[])"/> waits for a connection and a whole reply.</summary>
    public static readonly TimeSpan CommandWait = TimeSpan.FromSeconds(10);

    private const string InstallHint = "apt-get install -y redis-server";
    private const int PortAttempts = 5;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private static readonly TimeSpan SignalWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingAttemptWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PingRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly string _executable;
    private readonly List<string> _earlierRuns = [];
    private RunningProcess? _process;
    private bool _disposed;

    private RedisServer(string executable, string dataDirectory, int port, RunningProcess process)
    {
        _executable = executable;
        DataDirectory = dataDirectory;
        Port = port;
        _process = process;
        Pid = process.Id;
    }

    /// <summary>The loopback port the server listens on; a restart keeps it.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as a Redis client library's configuration string.</summary>
    public string ConfigurationString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The process id of the current run, or of the last run once stopped or disposed.</summary>
    public int Pid { get; private set; }

    /// <summary>The server's own data directory (<c>--dir</c>), holding <c>appendonlydir/</c>; deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>Whether a server process is running (it may be paused).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts <c>redis-server</c> on a free loopback port with a fresh data directory and waits until a
    /// PING answers PONG. A port that is taken before the server binds it is replaced by another, up to
    /// 5 times. Fails (an <see cref="AssertionException"/>) if <c>redis-server</c> is not installed (the
    /// message says <c>apt-get install -y redis-server</c>), if the server exits, if no port could be
    /// bound, or if it does not answer PONG within <see cref="StartWait"/>; on failure nothing is left
    /// running and the data directory is deleted.
    /// </summary>
    public static Task<RedisServer> StartAsync() => StartAsync("redis-server");

    /// <summary>As <see cref="StartAsync()"/>, with <paramref name="executable"/> (a name looked up on PATH, or a path).</summary>
    internal static async Task<RedisServer> StartAsync(string executable)
    {
        var path = FindExecutable(executable)
            ?? throw new AssertionException(
                $"{executable} is not installed (not found on PATH): the Redis tests run a real redis-server; install it with `{InstallHint}`");
        var dataDirectory = Directory.CreateTempSubdirectory("redis-test-").FullName;
        try
        {
            var portsTried = new List<string>();
            for (var attempt = 1; attempt <= PortAttempts; attempt++)
            {
                var port = FreeLoopbackPort();
                var (process, portInUse) = await LaunchAsync(path, dataDirectory, port);
                if (process is not null)
                {
                    return new RedisServer(path, dataDirectory, port, process);
                }

                portsTried.Add($"port {port}: {portInUse}");
            }

            throw new AssertionException(
                $"redis-server could not bind a free loopback port in {PortAttempts} attempts; {string.Join("; ", portsTried)}");
        }
        catch
        {
            DeleteDirectory(dataDirectory);
            throw;
        }
    }

    /// <summary>
    /// Stops the server: SIGTERM (then SIGCONT, so that a paused server handles it), waits up to
    /// <see cref="StopWait"/> for it to exit, and sends SIGKILL if it has not. The data directory is
    /// kept (every write is already in the append-only file). Does nothing if the server is not running.
    /// </summary>
    public async Task StopAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                Signal(SigTerm);
                Signal(SigCont);
            }

            try
            {
                await process.WaitForExitAsync(StopWait);
            }
            catch (AssertionException exception)
            {
                TestContext.Progress.WriteLine($"redis-server {Pid} ignored SIGTERM, sending SIGKILL: {exception.Message}");
            }
        }
        finally
        {
            _earlierRuns.Add($"run {_earlierRuns.Count + 1} (pid {Pid}): {process.Transcript()}");
            await process.DisposeAsync(); // SIGKILL if still running, then waits for the exit
        }
    }

    /// <summary>
    /// Restarts the server on the same port with the same data directory, so that what was written
    /// before survives (read back from the append-only file): stops it first with <see cref="StopAsync"/>
    /// if it is running, starts it again and waits until PING answers PONG (which Redis only does once
    /// the append-only file is loaded). Fails (an <see cref="AssertionException"/>) if the port was
    /// taken in the meantime, if the server exits, or if it does not answer within <see cref="StartWait"/>;
    /// the server is then left stopped.
    /// </summary>
    public async Task RestartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await StopAsync();
        var (process, portInUse) = await LaunchAsync(_executable, DataDirectory, Port);
        if (process is null)
        {
            throw new AssertionException($"redis-server could not restart on 127.0.0.1:{Port}, the port was taken meanwhile: {portInUse}");
        }

        _process = process;
        Pid = process.Id;
    }

    /// <summary>
    /// Freezes the server with SIGSTOP and returns once the process is stopped: connections are still
    /// accepted by the kernel but nothing is answered until <see cref="Resume"/>. Fails (an
    /// <see cref="AssertionException"/>) if the process is not seen stopped within 10 s; throws
    /// <see cref="InvalidOperationException"/> if the server is not running.
    /// </summary>
    public void Pause()
    {
        RequireRunning();
        Signal(SigStop);
        WaitForState(stopped: true);
    }

    /// <summary>
    /// Wakes a paused server with SIGCONT and returns once the process runs again. Fails (an
    /// <see cref="AssertionException"/>) if it is not seen running within 10 s; throws
    /// <see cref="InvalidOperationException"/> if the server is not running.
    /// </summary>
    public void Resume()
    {
        RequireRunning();
        Signal(SigCont);
        WaitForState(stopped: false);
    }

    /// <summary>
    /// Sends one command (each argument a bulk string) on a new connection and returns the reply as
    /// text: a simple string or a bulk string as it is, an integer in digits, an error as
    /// <c>(error) MESSAGE</c>, a nil as <c>(nil)</c>, an array as its elements (nested arrays
    /// flattened) joined with <c>\n</c>, so an empty array is the empty string. Throws a
    /// <see cref="TimeoutException"/> if there is no whole reply within <see cref="CommandWait"/>,
    /// a <see cref="SocketException"/> if the connection is refused (a stopped server), an
    /// <see cref="IOException"/> if the server closes the connection before replying.
    /// </summary>
    public Task<string> CommandAsync(params string[] args) => CommandAsync(CommandWait, args);

    /// <summary>As <see cref="CommandAsync(string[])"/>, waiting at most <paramref name="timeout"/> for the connection and the reply.</summary>
    public Task<string> CommandAsync(TimeSpan timeout, params string[] args)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SendCommandAsync(Port, timeout, args);
    }

    /// <summary>What each run of the server logged so far (stdout and stderr), for failure messages.</summary>
    public string Transcript()
    {
        var runs = new List<string>(_earlierRuns);
        if (_process is not null)
        {
            runs.Add($"current run (pid {Pid}): {_process.Transcript()}");
        }

        return string.Join("; ", runs);
    }

    /// <summary>
    /// Kills the server (SIGKILL, which also ends a paused one), waits for it to exit (bounded; a
    /// process that would not die is reported on the test's progress output) and deletes the data
    /// directory. Calling it again does nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }

        DeleteDirectory(DataDirectory);
    }

    private static async Task<(RunningProcess? Process, string? PortInUse)> LaunchAsync(string executable, string dataDirectory, int port)
    {
        var process = RunningProcess.Start(
            executable,
            [
                "--bind", "127.0.0.1",
                "--port", port.ToString(CultureInfo.InvariantCulture),
                "--dir", dataDirectory,
                "--save", "",
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--daemonize", "no",
                "--protected-mode", "no",
                "--logfile", "",
            ]);
        try
        {
            var lastAnswer = "no attempt yet";
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    var exitCode = await process.WaitForExitAsync();
                    var transcript = process.Transcript();
                    if (transcript.Contains("Address already in use", StringComparison.Ordinal))
                    {
                        await process.DisposeAsync();
                        return (null, transcript);
                    }

                    throw new AssertionException($"{process.Description} exited with {exitCode} before answering PING; {transcript}");
                }

                var left = StartWait - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    throw new AssertionException(
                        $"{process.Description} did not answer PING with PONG within {StartWait.TotalSeconds} s (last: {lastAnswer}); {process.Transcript()}");
                }

                try
                {
                    var attemptWait = left < PingAttemptWait ? left : PingAttemptWait;
                    lastAnswer = await SendCommandAsync(port, attemptWait, ["PING"]);
                    if (lastAnswer == "PONG")
                    {
                        // Another process may hold the port (then ours exits, seen above): only our own answer counts.
                        var info = await SendCommandAsync(port, attemptWait, ["INFO", "server"]);
                        if (info.Contains($"process_id:{process.Id.ToString(CultureInfo.InvariantCulture)}\r\n", StringComparison.Ordinal))
                        {
                            return (process, null);
                        }

                        lastAnswer = "PONG from another process on the port";
                    }
                }
                catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
                {
                    lastAnswer = $"{exception.GetType().Name}: {exception.Message}";
                }

                // Nothing signals readiness but the answer itself: retry after a short pause, bounded by StartWait.
                await Task.Delay(PingRetryDelay);
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> SendCommandAsync(int port, TimeSpan timeout, string[] args)
    {
        ArgumentOutOfRangeException.ThrowIfZero(args.Length);
        var command = string.Join(' ', args);
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(EncodeCommand(args), cancel.Token);
            var reply = await new RespReader(stream, cancel.Token).ReadAsync();
            return Format(reply);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"redis 127.0.0.1:{port}: no reply to \"{command}\" within {timeout.TotalMilliseconds} ms");
        }
    }

    private static byte[] EncodeCommand(string[] args)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Format(object? reply) => reply switch
    {
        null => "(nil)",
        RespError error => $"(error) {error.Message}",
        long number => number.ToString(CultureInfo.InvariantCulture),
        string text => text,
        List<object?> items => string.Join('\n', items.Select(Format)),
        _ => throw new UnreachableException(reply.GetType().Name),
    };

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string? FindExecutable(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Append("/usr/sbin");
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TestContext.Progress.WriteLine($"could not delete redis data directory {path}: {exception.Message}");
        }
    }

    private void RequireRunning()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsRunning)
        {
            throw new InvalidOperationException($"redis-server on {ConfigurationString} is not running");
        }
    }

    private void Signal(int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("RedisServer signals processes with Linux signal numbers");
        }

        if (NativeMethods.Kill(Pid, signal) != 0)
        {
            throw new AssertionException($"kill({Pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}; {Transcript()}");
        }
    }

    // Nothing signals a stop or a continue to a parent that is not waiting with WUNTRACED (and .NET owns
    // waitpid), so /proc/PID/stat is polled, bounded by SignalWait.
    private void WaitForState(bool stopped)
    {
        var clock = Stopwatch.StartNew();
        var spinner = default(SpinWait);
        var state = ProcessState();
        while ((state is 'T' or 't') != stopped)
        {
            if (state is null or 'Z' or 'X')
            {
                throw new AssertionException($"redis-server {Pid} is gone (state {state?.ToString() ?? "none"}); {Transcript()}");
            }

            if (clock.Elapsed > SignalWait)
            {
                throw new AssertionException(
                    $"redis-server {Pid} was not {(stopped ? "stopped" : "running")} within {SignalWait.TotalSeconds} s (state {state}); {Transcript()}");
            }

            spinner.SpinOnce(sleep1Threshold: 20);
            state = ProcessState();
        }
    }

    private char? ProcessState()
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so the state follows the last ')'.
        var end = stat.LastIndexOf(')');
        return end >= 0 && end + 2 < stat.Length ? stat[end + 2] : null;
    }

    private sealed record RespError(string Message);

    /// <summary>Reads one RESP2 reply from a stream.</summary>
    private sealed class RespReader(Stream stream, CancellationToken cancel)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private readonly MemoryStream _pending = new();
        private int _start;
        private int _end;

        public async Task<object?> ReadAsync()
        {
            var line = await ReadLineAsync();
            if (line.Length == 0)
            {
                throw new IOException("empty RESP reply line");
            }

            var rest = line[1..];
            switch (line[0])
            {
                case '+':
                    return rest;
                case '-':
                    return new RespError(rest);
                case ':':
                    return long.Parse(rest, CultureInfo.InvariantCulture);
                case '$':
                    var length = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return null;
                    }

                    var bytes = await ReadExactlyAsync(length + 2);
                    return Encoding.UTF8.GetString(bytes, 0, length);
                case '*':
                    var count = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return null;
                    }

                    var items = new List<object?>(count);
                    for (var i = 0; i < count; i++)
                    {
                        items.Add(await ReadAsync());
                    }

                    return items;
                default:
                    throw new IOException($"not a RESP2 reply: \"{line}\"");
            }
        }

        private async Task<string> ReadLineAsync()
        {
            _pending.SetLength(0);
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    _pending.Write(_buffer, _start, newline + 1 - _start);
                    _start = newline + 1;
                    var line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
                    return line.TrimEnd('\n').TrimEnd('\r');
                }

                _pending.Write(_buffer, _start, _end - _start);
                await FillAsync();
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end)
                {
                    await FillAsync();
                }

                var take = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, result, filled, take);
                _start += take;
                filled += take;
            }

            return result;
        }

        private async Task FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancel);
            if (_end == 0)
            {
                throw new IOException("the server closed the connection before a whole reply");
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
