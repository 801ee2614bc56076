using ChatServer.Chat;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>
/// The rooms a person told something since their last barrier: they may still be delivering it. Waiting
/// for them (<see cref="SettleAsync"/>) keeps what the person says in order across rooms. A list: most
/// people are in one or two rooms. On the session owner's loop only.
/// </summary>
internal sealed class UnsettledRooms
{
    /// <summary>The rooms told something and not yet waited for.</summary>
    private readonly List<Room> _rooms = [];

    /// <summary><paramref name="room"/> was told something.</summary>
    public void Mark(Room room)
    {
        if (!_rooms.Contains(room))
        {
            _rooms.Add(room);
        }
    }

    /// <summary><paramref name="room"/> is left: nothing more to wait for there.</summary>
    public void Forget(Room room) => _rooms.Remove(room);

    /// <summary>Waits until every room told something, except <paramref name="keep"/>, has handled it; a room that is gone has nothing left to deliver.</summary>
    public async Task SettleAsync(Room? keep)
    {
        if (_rooms.Count == 0 || (_rooms.Count == 1 && ReferenceEquals(_rooms[0], keep)))
        {
            return;
        }

        foreach (var room in _rooms.ToList())
        {
            if (ReferenceEquals(room, keep))
            {
                continue;
            }

            _rooms.Remove(room);
            try
            {
                await room.BarrierAsync().ConfigureAwait(false);
            }
            catch (ProcessExitedException)
            {
                // A room that is gone has nothing left to deliver.
            }
        }
    }
}
