using System.Diagnostics;
using System.Globalization;

namespace LoadGen;

/// <summary>Memory and CPU of the server under test (from /proc) and of this process.</summary>
internal static class ProcStats
{
    /// <summary>VmRSS of <paramref name="pid"/> in KiB from /proc/PID/status; -1 when unknown.</summary>
    public static long RssKib(int pid)
    {
        if (pid <= 0)
        {
            return -1;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim();
                    var end = digits.IndexOf(' ');
                    return long.Parse(end < 0 ? digits : digits[..end], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return -1;
    }

    /// <summary>User + system CPU seconds of <paramref name="pid"/>; -1 when unknown.</summary>
    public static double CpuSeconds(int pid)
    {
        if (pid <= 0)
        {
            return -1;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (ArgumentException)
        {
            return -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>This process's user and system CPU seconds so far.</summary>
    public static (double User, double System) OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return (self.UserProcessorTime.TotalSeconds, self.PrivilegedProcessorTime.TotalSeconds);
    }

    public static double OwnCpuTotal()
    {
        var (user, system) = OwnCpu();
        return user + system;
    }

    /// <summary>The soft RLIMIT_NOFILE of this process (the runtime raises it to the hard limit at start); -1 when unknown.</summary>
    public static long OpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields[0] == "unlimited" ? long.MaxValue : long.Parse(fields[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}
