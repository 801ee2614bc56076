using Microsoft.Extensions.Hosting;

namespace ChatServer.Observability;

/// <summary>
/// The metrics endpoint's host lifetime: none of its own. The default (console) lifetime would take SIGTERM
/// and Ctrl+C and stop the endpoint at once, before the chat server's tree has stopped; the chat server stops it instead.
/// </summary>
internal sealed class ServerOwnedLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
