using System.Text;

namespace Supervision;

/// <summary>Renders a supervision tree as text for operators.</summary>
public static class SupervisorTree
{
    /// <summary>
    /// Renders <paramref name="root"/> and, recursively, every running child supervisor, one line per
    /// child with id, type, state, restart type, restart count and process id. A subtree that exits
    /// while being rendered is shown as exited.
    /// </summary>
    public static async Task<string> RenderAsync(ISupervisor root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.Append(root.Name).Append(" (").Append(root.Description).Append(") ").Append(root.Id).AppendLine();
        await RenderChildrenAsync(root, string.Empty, text).ConfigureAwait(false);
        return text.ToString();
    }

    private static async Task RenderChildrenAsync(ISupervisor supervisor, string indent, StringBuilder text)
    {
        IReadOnlyList<ChildInfo> children;
        try
        {
            children = await supervisor.WhichChildrenAsync().ConfigureAwait(false);
        }
        catch (ProcessExitedException exited)
        {
            text.Append(indent).Append("└── (exited: ").Append(exited.Reason).AppendLine(")");
            return;
        }

        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            var last = i == children.Count - 1;
            text.Append(indent).Append(last ? "└── " : "├── ")
                .Append(child.Id)
                .Append(" [").Append(child.Type == ChildType.Supervisor ? "supervisor" : "worker").Append("] ")
                .Append(child.State.ToString().ToLowerInvariant())
                .Append(' ').Append(child.Restart.ToString().ToLowerInvariant())
                .Append(" restarts=").Append(child.RestartCount);
            if (child.Process is { } process)
            {
                text.Append(' ').Append(process.Id);
                if (process is ISupervisor nested)
                {
                    text.Append(" (").Append(nested.Description).Append(')');
                }
            }

            text.AppendLine();
            if (child.Process is ISupervisor childSupervisor)
            {
                await RenderChildrenAsync(childSupervisor, indent + (last ? "    " : "│   "), text).ConfigureAwait(false);
            }
        }
    }
}
