using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatServer.Hosting;

/// <summary>
/// Prints the start-up lines (where the server listens, then the tree) once the tree has started,
/// before the host's own lifetime messages: plain lines, or one JSON object per line with
/// <c>--log-format json</c>, shaped like the JSON console log's entries.
/// </summary>
internal sealed class StartupReport(ServerInstance instance, IOptions<ChatServerOptions> options, TimeProvider time) : IHostedService
{
    /// <summary>The category of the start-up lines in JSON.</summary>
    public const string Category = "ChatServer.Startup";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var server = instance.Server;
        Write($"SupervisedChat listening on {server.LocalEndPoint}");
        if (server.IrcEndPoint is { } irc)
        {
            Write($"IRC listening on {irc}");
        }

        if (server.TlsEndPoint is { } tls)
        {
            Write($"TLS listening on {tls}");
        }

        if (server.IrcTlsEndPoint is { } ircTls)
        {
            Write($"IRC TLS listening on {ircTls}");
        }

        if (server.MetricsEndPoint is { } metrics)
        {
            Write($"metrics listening on http://{metrics}");
        }

        Write(await server.RenderTreeAsync().ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Write(string line)
    {
        if (options.Value.LogFormat != LogFormat.Json)
        {
            Console.Out.WriteLine(line);
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", 0);
            json.WriteString("LogLevel", "Information");
            json.WriteString("Category", Category);
            json.WriteString("Message", line);
            json.WriteEndObject();
        }

        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
