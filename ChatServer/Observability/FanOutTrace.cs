using System.Diagnostics;

namespace ChatServer.Observability;

/// <summary>
/// A room's traced messages between their turn and their fan-out: a room relays a burst of lines and hands
/// them out later, as one batch (docs/architecture.md), so a message's <see cref="ChatTracing.InRoom"/> span stays
/// open until the fan-out that carries it, whose <see cref="ChatTracing.Delivered"/> span is its child. Used on
/// the room's own thread only. Holds nothing while no message is traced: each hook is then one null check.
/// </summary>
internal sealed class FanOutTrace
{
    /// <summary>The span of the message the room is handling, until its line is queued for the fan-out.</summary>
    private Activity? _turn;

    /// <summary>Spans of queued lines, waiting for their fan-out; null until a traced message comes.</summary>
    private List<Activity>? _queued;

    /// <summary>The delivered spans of the fan-out running now (synchronous, on the room's thread), one per queued turn.</summary>
    private List<Activity>? _delivering;

    /// <summary>A traced message's turn begins in a room of <paramref name="members"/> members.</summary>
    public void BeginTurn(ActivityContext parent, int members)
    {
        // The room's turn does not become the thread's current activity: the room goes on to other messages.
        var previous = Activity.Current;
        _turn = ChatTracing.Source.StartActivity(ChatTracing.InRoom, ActivityKind.Internal, parent);
        Activity.Current = previous;
        _turn?.SetTag(ChatTracing.MembersTag, members);
    }

    /// <summary>The room queued the current message's line for the next fan-out.</summary>
    public void LineQueued()
    {
        if (_turn is not null)
        {
            (_queued ??= []).Add(_turn);
            _turn = null;
        }
    }

    /// <summary>The turn is over; a message that was not relayed here (refused, or sent on to the cluster's log) ends its span now.</summary>
    public void EndTurn()
    {
        _turn?.Stop();
        _turn = null;
    }

    /// <summary>A fan-out starts: each traced line in it gets its delivered span, a child of its turn.</summary>
    public void BeforeFanOut()
    {
        if (_queued is not { Count: > 0 })
        {
            return;
        }

        var previous = Activity.Current;
        _delivering ??= [];
        foreach (var turn in _queued)
        {
            if (ChatTracing.Source.StartActivity(ChatTracing.Delivered, ActivityKind.Internal, turn.Context) is { } delivered)
            {
                _delivering.Add(delivered);
            }
        }

        Activity.Current = previous;
    }

    /// <summary>The fan-out handed <paramref name="lines"/> lines to recipients <paramref name="deliveries"/> times: its spans and their turns end.</summary>
    public void AfterFanOut(int deliveries, int lines)
    {
        if (_queued is not { Count: > 0 } turns)
        {
            return;
        }

        foreach (var delivered in _delivering!)
        {
            delivered.SetTag(ChatTracing.DeliveriesTag, deliveries);
            delivered.SetTag(ChatTracing.LinesTag, lines);
            delivered.Stop();
        }

        foreach (var turn in turns)
        {
            turn.Stop();
        }

        _delivering.Clear();
        turns.Clear();
    }
}
