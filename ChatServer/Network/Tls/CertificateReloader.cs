using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Network.Tls;

/// <summary>
/// Keeps the <see cref="ServerCertificate"/> in step with its files, with no restart: a file watcher on
/// the directories of the certificate and the key notices a rewrite or a swapped symlink (certbot
/// relinks <c>live/NAME/*.pem</c> into <c>archive/</c>) at once, and a periodic check of each path's
/// resolved target, write time and length catches what watchers miss. A change is read after a short
/// settling delay, as certbot relinks the certificate and the key one after the other. A reload that fails (a
/// half-written file, a key that does not match yet) keeps the certificate in use, logs a warning,
/// and is tried again when the files change again.
/// </summary>
internal sealed class CertificateReloader : Worker<CertificateReloader.Message>
{
    /// <summary>How long the files must stay unchanged after an event before they are read.</summary>
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(200);

    private readonly ServerCertificate _certificate;
    private readonly TimeSpan _checkInterval;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private ITimer? _periodic;
    private ITimer? _settling;

    /// <summary>The stamp of the files whose load failed last, so a bad file is reported once, not at every check.</summary>
    private CertificateFilesStamp? _failed;

    /// <summary>Creates the reloader of <paramref name="certificate"/>, named <paramref name="name"/>.</summary>
    public CertificateReloader(string name, ServerCertificate certificate, TimeSpan checkInterval, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = name, TimeProvider = timeProvider })
    {
        _certificate = certificate;
        _checkInterval = checkInterval;
        _logger = logger;
    }

    /// <summary>The reloader's mailbox: checks, from the timers.</summary>
    public abstract record Message
    {
        /// <summary>Compare the files with the certificate in use, and reload if they changed.</summary>
        public sealed record Check : Message;
    }

    /// <inheritdoc />
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _periodic = TimeProvider.CreateTimer(static self => ((CertificateReloader)self!).Tell(new Message.Check()), this, _checkInterval, _checkInterval);
        _settling = TimeProvider.CreateTimer(static self => ((CertificateReloader)self!).Tell(new Message.Check()), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var directory in new[] { _certificate.CertificatePath, _certificate.KeyPath }.Select(DirectoryOf).Distinct())
        {
            Watch(directory);
        }

        // A change between the host's load and this start is not missed.
        Tell(new Message.Check());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        var stamp = CertificateFilesStamp.Read(_certificate.CertificatePath, _certificate.KeyPath);
        if (stamp == _certificate.Current.Stamp || stamp == _failed)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            var loaded = LoadedCertificate.Load(_certificate.CertificatePath, _certificate.KeyPath);
            _certificate.Replace(loaded);
            _failed = null;
            TlsLog.CertificateReloaded(_logger, _certificate.CertificatePath, loaded.Leaf.Subject, loaded.Leaf.NotAfter.ToUniversalTime());
        }
        catch (TlsCertificateException exception)
        {
            _failed = stamp;
            TlsLog.CertificateReloadFailed(_logger, _certificate.Current.Leaf.NotAfter.ToUniversalTime(), exception.Message);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _periodic?.Dispose();
        _settling?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";

    private void Watch(string directory)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => Settle();
            watcher.Created += (_, _) => Settle();
            watcher.Deleted += (_, _) => Settle();
            watcher.Renamed += (_, _) => Settle();
            watcher.Error += (_, args) => TlsLog.WatcherFailed(_logger, directory, args.GetException().Message, _checkInterval);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Out of inotify watches, or a directory gone: the periodic check still reloads, only later.
            TlsLog.WatcherFailed(_logger, directory, exception.Message, _checkInterval);
        }
    }

    /// <summary>(Re)starts the settling delay: a burst of events ends in one check.</summary>
    private void Settle() => _settling?.Change(s_settle, Timeout.InfiniteTimeSpan);
}
