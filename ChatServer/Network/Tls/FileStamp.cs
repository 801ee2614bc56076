namespace ChatServer.Network.Tls;

/// <summary>One file's resolved target, last write time and length; a missing file has an empty target.</summary>
internal readonly record struct FileStamp(string Target, DateTime LastWriteUtc, long Length)
{
    /// <summary>The stamp of <paramref name="path"/> now.</summary>
    public static FileStamp Read(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            var file = new FileInfo(target);
            return file.Exists ? new(target, file.LastWriteTimeUtc, file.Length) : default;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A link being swapped or a file not readable: a stamp that differs, so the next check tries again.
            return default;
        }
    }
}
