using System.Globalization;

namespace ChatServer.Hosting.Settings;

/// <summary>Conversions shared by the settings' table.</summary>
internal static class SettingValues
{
    /// <summary>A value as configuration text (invariant culture; bools and numbers as JSON writes them).</summary>
    public static string? Text<T>(T value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Seconds as a TimeSpan's configuration text (<c>00:00:10</c>).</summary>
    public static string Seconds(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A number (seconds, a rate) as the flags write it.</summary>
    public static double ParseNumber(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
