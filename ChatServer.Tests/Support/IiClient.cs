using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ChatServer.Tests.Processes;

namespace ChatServer.Tests.Support;

/// <summary>
/// A real <c>ii</c> (suckless' FIFO and file based IRC client, Debian package <c>ii</c>) connected to
/// 127.0.0.1 with its own temporary directory (<c>-i</c>), deleted on dispose. ii is driven as a
/// person scripts it: commands and text go into <c>in</c> FIFOs, what it receives is read back from
/// <c>out</c> files, polled with a deadline. Linux only (FIFOs, <c>open(2)</c>).
/// <para>
/// ii's tree: <c>DIR/127.0.0.1/in</c> and <c>out</c> for the server (commands such as <c>/j #lobby</c>,
/// <c>/q</c>; numerics and QUITs land in <c>out</c>), and <c>DIR/127.0.0.1/TARGET/in</c> and <c>out</c> for
/// each channel or nick, the directory name lower-cased (<see cref="TargetDirectory"/>). Every <c>out</c>
/// line is <c>UNIXTIME text</c>; the readers here return the text.
/// </para>
/// </summary>
public sealed class IiClient : IAsyncDisposable
{
    /// <summary>How long a wait (for ii's files, for its exit) may take on a loaded machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const string Host = "127.0.0.1";
    private const string InstallHint = "apt-get install -y ii";

    /// <summary>ii reads at most 512 bytes per line (its IRC_MSG_MAX); one FIFO write of that size is atomic.</summary>
    private const int MaxLineBytes = 512;

    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(50);

    private readonly RunningProcess _process;

    private IiClient(RunningProcess process, string root, string nick)
    {
        _process = process;
        Root = root;
        Nick = nick;
    }

    /// <summary>The nick ii registered with (<c>-n</c>).</summary>
    public string Nick { get; }

    /// <summary>The temporary directory given to ii with <c>-i</c>; deleted on dispose.</summary>
    public string Root { get; }

    /// <summary>ii's directory for the server: <c>Root/127.0.0.1</c>.</summary>
    public string ServerDirectory => Path.Combine(Root, Host);

    /// <summary>ii's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether ii has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>ii -s 127.0.0.1 -p PORT -n NICK -i TEMPDIR</c> and waits until the welcome (001) is in the
    /// server's <c>out</c> file. Fails, saying <c>apt-get install -y ii</c>, if ii is not on PATH.
    /// </summary>
    public static Task<IiClient> StartAsync(int port, string nick) => StartAsync(port, nick, "ii");

    /// <summary>As <see cref="StartAsync(int, string)"/>, with <paramref name="executable"/> looked up on PATH.</summary>
    internal static async Task<IiClient> StartAsync(int port, string nick, string executable)
    {
        var path = LineTools.Find(executable)
            ?? throw new AssertionException(
                $"{executable} is not installed (not found on PATH): the ii tests drive the real ii IRC client; install it with `{InstallHint}` (.ci/run does when it is missing)");
        var root = Directory.CreateTempSubdirectory("ii-test-").FullName;
        RunningProcess process;
        try
        {
            process = RunningProcess.Start(path, ["-s", Host, "-p", port.ToString(CultureInfo.InvariantCulture), "-n", nick, "-i", root]);
        }
        catch
        {
            DeleteDirectory(root);
            throw;
        }

        var client = new IiClient(process, root, nick);
        try
        {
            await client.ExpectLineAsync("", l => l.StartsWith("Welcome to ", StringComparison.Ordinal), "\"Welcome to ...\" (001)");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The directory ii keeps <paramref name="target"/> (a channel or a nick) in, as its channel_normalize_path
    /// makes it: letters lower-cased, digits and <c>.#&amp;+!-</c> kept, anything else <c>_</c>.
    /// </summary>
    public static string TargetDirectory(string target) =>
        string.Concat(target.Select(c =>
            char.IsAsciiLetter(c) ? char.ToLowerInvariant(c)
            : char.IsAsciiDigit(c) || ".#&+!-".Contains(c, StringComparison.Ordinal) ? c
            : '_'));

    /// <summary>The <c>in</c> FIFO of <paramref name="target"/>; "" is the server's.</summary>
    public string InPath(string target = "") => Path.Combine(TargetPath(target), "in");

    /// <summary>The <c>out</c> file of <paramref name="target"/>; "" is the server's.</summary>
    public string OutPath(string target = "") => Path.Combine(TargetPath(target), "out");

    /// <summary>Writes a command (<c>/j #lobby</c>, <c>/q</c>, a raw <c>/WHO</c>...) to the server's <c>in</c> FIFO.</summary>
    public Task CommandAsync(string line) => WriteAsync("", line);

    /// <summary>
    /// Writes <paramref name="line"/> and a LF to <paramref name="target"/>'s <c>in</c> FIFO: text is said there,
    /// <c>/l</c> leaves it. Waits (bounded) until ii has created the FIFO and holds it open for reading; the
    /// open never blocks (<c>O_NONBLOCK</c>, retried) and the line goes in one atomic write.
    /// </summary>
    public async Task WriteAsync(string target, string line)
    {
        if (line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("one line, without CR or LF: ii splits at LF and sends a CR on to the server as it is", nameof(line));
        }

        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (bytes.Length > MaxLineBytes)
        {
            throw new ArgumentException($"ii reads at most {MaxLineBytes} bytes per line", nameof(line));
        }

        var path = InPath(target);
        var deadline = DateTime.UtcNow + Wait;
        var fd = await OpenForWritingAsync(path, deadline);
        try
        {
            while (true)
            {
                var written = NativeMethods.Write(fd, bytes, bytes.Length);
                if (written == bytes.Length)
                {
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (written >= 0 || (errno != NativeMethods.EAGAIN && errno != NativeMethods.EINTR))
                {
                    throw new AssertionException($"writing \"{line}\" to {path}: wrote {written} of {bytes.Length} bytes, errno {errno}; {Transcript()}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new AssertionException($"{path} stayed full for {Wait.TotalSeconds} s: ii is not reading it; {Transcript()}");
                }

                await Task.Delay(PollDelay);
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// Polls <paramref name="target"/>'s <c>out</c> file until a line's text (after ii's time stamp) matches;
    /// returns that text. Fails with the file's contents and ii's output on timeout, or once ii has exited
    /// without writing it.
    /// </summary>
    public async Task<string> ExpectLineAsync(string target, Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var wait = timeout ?? Wait;
        var deadline = DateTime.UtcNow + wait;
        var path = OutPath(target);
        while (true)
        {
            // Read after looking at the exit, so that a line ii wrote just before exiting is still seen.
            var exited = HasExited;
            var found = Lines(target).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (exited)
            {
                throw new AssertionException($"ii exited without writing a line {what} to {path}; {Contents(path)}; {Transcript()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"no line {what} in {path} within {wait.TotalSeconds} s; {Contents(path)}; {Transcript()}");
            }

            await Task.Delay(PollDelay);
        }
    }

    /// <summary>Polls <paramref name="target"/>'s <c>out</c> file until a line's text is exactly <paramref name="text"/>.</summary>
    public Task<string> ExpectLineAsync(string target, string text, TimeSpan? timeout = null) =>
        ExpectLineAsync(target, l => l == text, $"\"{text}\"", timeout);

    /// <summary>The text of every complete line of <paramref name="target"/>'s <c>out</c> file so far (none if there is no file yet).</summary>
    public IReadOnlyList<string> Lines(string target = "")
    {
        string contents;
        try
        {
            using var stream = new FileStream(OutPath(target), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
            contents = reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        // A last piece without its LF is a line still being written: left for the next read.
        var lines = contents.Split('\n');
        return [.. lines.Take(lines.Length - 1).Select(WithoutTimestamp)];
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <see cref="Wait"/> naming <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"not {what} within {Wait.TotalSeconds} s; {Transcript()}");
            }

            await Task.Delay(PollDelay);
        }
    }

    /// <summary>Waits (bounded) for ii to exit by itself; returns its exit code.</summary>
    public Task<int> WaitForExitAsync() => _process.WaitForExitAsync(Wait);

    /// <summary>ii's stdout (every line it received from the server, time-stamped) and stderr, for failure messages.</summary>
    public string Transcript() => $"ii (pid {Id}, {(HasExited ? "exited" : "running")}) {_process.Transcript()}";

    /// <summary>Stops ii if it still runs (SIGTERM to its pid, then SIGKILL if it lingers) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited)
            {
                // ii leaves its loop on SIGTERM, removes its FIFOs and closes the connection (no QUIT).
                await _process.TerminateAsync();
                await _process.WaitForExitAsync(Wait);
            }
        }
        catch (AssertionException exception)
        {
            // It exited meanwhile (kill found no process), or it would not: the dispose below kills it.
            TestContext.Progress.WriteLine($"stopping ii (pid {Id}): {exception.Message}");
        }
        finally
        {
            await _process.DisposeAsync();
            DeleteDirectory(Root);
        }
    }

    private static string WithoutTimestamp(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && line[..space].All(char.IsAsciiDigit) ? line[(space + 1)..] : line;
    }

    private static string Contents(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return $"{path} holds: [{(text.Length > 4000 ? "..." + text[^4000..] : text)}]";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"{path}: {exception.Message}";
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TestContext.Progress.WriteLine($"could not delete ii directory {path}: {exception.Message}");
        }
    }

    private string TargetPath(string target) => target.Length == 0 ? ServerDirectory : Path.Combine(ServerDirectory, TargetDirectory(target));

    /// <summary>
    /// Opens the FIFO at <paramref name="path"/> for writing without blocking, retrying until
    /// <paramref name="deadline"/> while it does not exist yet (ENOENT) or nobody reads it (ENXIO: ii
    /// closes and reopens its end each time a writer goes away).
    /// </summary>
    private async Task<int> OpenForWritingAsync(string path, DateTime deadline)
    {
        while (true)
        {
            var fd = NativeMethods.Open(path, NativeMethods.O_WRONLY | NativeMethods.O_NONBLOCK | NativeMethods.O_CLOEXEC);
            if (fd >= 0)
            {
                return fd;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (NativeMethods.ENOENT or NativeMethods.ENXIO or NativeMethods.EINTR))
            {
                throw new AssertionException($"cannot open {path} for writing: errno {errno}; {Transcript()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                var why = errno == NativeMethods.ENOENT ? "ii has not created it" : "ii does not hold it open for reading";
                throw new AssertionException($"cannot write to {path} within {Wait.TotalSeconds} s: {why}; {Transcript()}");
            }

            await Task.Delay(PollDelay);
        }
    }

    private static class NativeMethods
    {
        // Linux's values (x86-64 and arm64 alike).
        public const int O_WRONLY = 0x1;
        public const int O_NONBLOCK = 0x800;
        public const int O_CLOEXEC = 0x80000;
        public const int ENOENT = 2;
        public const int EINTR = 4;
        public const int ENXIO = 6;
        public const int EAGAIN = 11;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        public static extern nint Write(int fd, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
