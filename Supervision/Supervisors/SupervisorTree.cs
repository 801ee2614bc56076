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
    public static Task<string> RenderAsync(ISupervisor root) => RenderAsync(root, summarizeDynamic: false);

    /// <summary>
    /// Renders <paramref name="root"/> as <see cref="RenderAsync(ISupervisor)"/> does, except that the children of a
    /// <see cref="DynamicSupervisor"/> are summarised in one line of counts: the text stays short for a person
    /// (a health page) however many connections or rooms there are.
    /// </summary>
    public static Task<string> RenderSummaryAsync(ISupervisor root) => RenderAsync(root, summarizeDynamic: true);

    private static async Task<string> RenderAsync(ISupervisor root, bool summarizeDynamic)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.Append(root.Name).Append(" (").Append(root.Description).Append(") ").Append(root.Id).AppendLine();
        await RenderChildrenAsync(root, string.Empty, text, summarizeDynamic).ConfigureAwait(false);
        return text.ToString();
    }

    private static async Task RenderChildrenAsync(ISupervisor supervisor, string indent, StringBuilder text, bool summarizeDynamic)
    {
        if (summarizeDynamic && supervisor is DynamicSupervisor)
        {
            await RenderCountsAsync(supervisor, indent, text).ConfigureAwait(false);
            return;
        }

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
                await RenderChildrenAsync(childSupervisor, indent + (last ? "    " : "│   "), text, summarizeDynamic).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One line for all of a dynamic supervisor's children: how many, and of which type.</summary>
    private static async Task RenderCountsAsync(ISupervisor supervisor, string indent, StringBuilder text)
    {
        try
        {
            var counts = await supervisor.CountChildrenAsync().ConfigureAwait(false);
            text.Append(indent).Append("└── ").Append(counts.Specs).Append(" children: ").Append(counts.Active)
                .Append(" running (").Append(counts.Workers).Append(" workers, ").Append(counts.Supervisors).AppendLine(" supervisors)");
        }
        catch (ProcessExitedException exited)
        {
            text.Append(indent).Append("└── (exited: ").Append(exited.Reason).AppendLine(")");
        }
    }
}
