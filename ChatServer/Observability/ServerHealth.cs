using Supervision;

namespace ChatServer.Observability;

/// <summary>
/// What <c>/healthz</c> answers: healthy while the root supervisor runs and every acceptor is up (the
/// listeners accept), not from the moment the host begins to stop; with the supervision tree as text, its
/// dynamic supervisors (clients, rooms) summarised as counts.
/// </summary>
internal sealed class ServerHealth(Supervisor root, ProcessRegistry names, IReadOnlyList<string> acceptors)
{
    private volatile bool _stopping;

    /// <summary>The host began to stop: unhealthy from now on, whatever the tree says.</summary>
    public void BeginStopping() => _stopping = true;

    /// <summary>Whether the server is healthy, and the text that says so.</summary>
    public async Task<(bool Healthy, string Text)> CheckAsync()
    {
        if (_stopping)
        {
            return (false, "stopping\n");
        }

        var down = acceptors.Where(name => names.WhereIs(name) is not { HasExited: false }).ToList();
        string tree;
        try
        {
            tree = await SupervisorTree.RenderSummaryAsync(root).ConfigureAwait(false);
        }
        catch (ProcessExitedException)
        {
            tree = "(the root supervisor has exited)\n";
        }

        var healthy = !_stopping && !root.HasExited && down.Count == 0;
        var status = healthy ? "ok" : _stopping ? "stopping" : root.HasExited ? "down: the root supervisor has exited" : $"down: not accepting ({string.Join(", ", down)})";
        return (healthy, status + "\n\n" + tree);
    }
}
