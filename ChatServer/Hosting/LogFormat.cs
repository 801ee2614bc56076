namespace ChatServer.Hosting;

/// <summary>How the console log (and the start-up lines) are written.</summary>
public enum LogFormat
{
    /// <summary>One line of text per entry; journald's priority prefixes when run by systemd.</summary>
    Text,

    /// <summary>One JSON object per stdout line, the start-up lines included.</summary>
    Json,
}
