using ChatServer.Chat;
using Supervision;

namespace ChatServer.Tests.Support;

/// <summary>
/// What the tests that drive a real <see cref="Room"/> with fake members share: rooms and members started
/// and stopped with the test, joins with what they delivered read away, a line said and delivered.
/// </summary>
public abstract class RoomTestBench
{
    /// <summary>How long a room step may take on a loaded machine.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly StartedProcesses _processes = new();

    /// <summary>Stops every room and member the test started.</summary>
    [TearDown]
    public Task StopEverythingAsync() => _processes.StopAllAsync(Wait);

    /// <summary>Relays <paramref name="text"/> and waits until the room has delivered it.</summary>
    protected static async Task SayAsync(Room room, FakeChatMember member, string text, bool isAction = false)
    {
        room.Publish(member, text, isAction ? LineKind.Action : LineKind.Message).Should().BeTrue();
        await room.BarrierAsync().WaitAsync(Wait);
    }

    /// <summary>Each member's unread lines, taken.</summary>
    protected static List<IReadOnlyList<string>> Unread(params FakeChatMember[] members) => members.Select(m => m.TakeUnread()).ToList();

    protected async Task<Room> StartRoomAsync(RoomOptions? options = null, bool permanent = false, TimeProvider? time = null, string name = "#den")
    {
        var room = new Room(name, options ?? new RoomOptions(), permanent, time ?? TimeProvider.System);
        await room.StartAsync();
        _processes.Track(room);
        return room;
    }

    protected async Task<FakeChatMember> MemberAsync(string nick)
    {
        var member = await FakeChatMember.StartAsync(nick);
        _processes.Track(member);
        return member;
    }

    /// <summary>Members joined one after the other under their names, with what their joins delivered read away.</summary>
    protected Task<Members> JoinedAsync(Room room, params string[] nicks) => JoinedAsync(room, keepLines: false, nicks);

    /// <summary>Members joined one after the other under their names; <paramref name="keepLines"/> leaves the join notices unread.</summary>
    protected async Task<Members> JoinedAsync(Room room, bool keepLines, params string[] nicks)
    {
        var members = new List<FakeChatMember>();
        foreach (var nick in nicks)
        {
            var member = await MemberAsync(nick);
            (await room.JoinAsync(member, nick).WaitAsync(Wait)).Should().Be(members.Count);
            members.Add(member);
        }

        await room.BarrierAsync().WaitAsync(Wait);
        if (!keepLines)
        {
            Unread([.. members]);
        }

        return new Members(members);
    }

    /// <summary>Joined members, to deconstruct.</summary>
    protected sealed class Members(List<FakeChatMember> members)
    {
        public FakeChatMember this[int index] => members[index];

        public void Deconstruct(out FakeChatMember a, out FakeChatMember b) => (a, b) = (members[0], members[1]);

        public void Deconstruct(out FakeChatMember a, out FakeChatMember b, out FakeChatMember c) => (a, b, c) = (members[0], members[1], members[2]);

        public void Deconstruct(out FakeChatMember a, out FakeChatMember b, out FakeChatMember c, out FakeChatMember d) =>
            (a, b, c, d) = (members[0], members[1], members[2], members[3]);

        public void Deconstruct(out FakeChatMember a, out FakeChatMember b, out FakeChatMember c, out FakeChatMember d, out FakeChatMember e) =>
            (a, b, c, d, e) = (members[0], members[1], members[2], members[3], members[4]);
    }
}
