using System.Reflection;
using System.Text;
using System.Text.Json;

namespace ChatServer.Hosting.Settings;

/// <summary>
/// The appsettings.json shipped next to the binary, generated from <see cref="ChatServerOptions.Defaults"/>
/// so that every default stays written once (a test fails when the shipped file differs).
/// Regenerate: <c>dotnet run --project ChatServer -- --print-default-settings &gt; ChatServer/appsettings.json</c>.
/// </summary>
internal static class DefaultSettingsFile
{
    /// <summary>The file's name, read from the directory of the binary.</summary>
    public const string FileName = "appsettings.json";

    /// <summary>The hidden flag that prints the file.</summary>
    public const string PrintFlag = "--print-default-settings";

    /// <summary>The file's text: one <c>Chat</c> section with every documented setting's default; null where the default depends on the machine.</summary>
    public static string Render()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject(ChatSetting.Section);
            foreach (var setting in ChatSettings.All.Where(setting => !setting.Option.Hidden))
            {
                var property = typeof(ChatServerOptions).GetProperty(setting.Property)!;
                var value = property.GetCustomAttribute<ComputedDefaultAttribute>() is null ? property.GetValue(ChatServerOptions.Defaults) : null;
                json.WritePropertyName(setting.Property);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    case int number:
                        json.WriteNumberValue(number);
                        break;
                    case double number:
                        json.WriteNumberValue(number);
                        break;
                    default:
                        json.WriteStringValue(SettingValues.Text(value));
                        break;
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        var header = $"// Generated from ChatServerOptions' defaults; regenerate with: dotnet run --project ChatServer -- {PrintFlag} > ChatServer/{FileName}\n" +
            "// Keys are the properties of ChatServerOptions (docs/operations.md lists them with their flags and CHAT_* variables).\n" +
            "// Precedence: this file, then environment variables (Chat__Port or CHAT_PORT), then the command line.\n";
        return header + Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }
}
