using System.Globalization;

namespace ChatServer.Tests.Support;

/// <summary>
/// The TCP ports a process listens on, read from Linux's <c>/proc</c>: its socket descriptors matched with the
/// listening entries of <c>/proc/PID/net/tcp</c> and <c>tcp6</c>. What a test asserts when it says "nothing else listens".
/// </summary>
public static class ListeningPorts
{
    /// <summary>The ports process <paramref name="pid"/> listens on, ascending.</summary>
    public static IReadOnlyList<int> Of(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        var ports = new SortedSet<int>();
        foreach (var table in new[] { $"/proc/{pid}/net/tcp", $"/proc/{pid}/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == "0A" && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }

        return [.. ports];
    }
}
