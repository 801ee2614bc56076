using ChatServer.Chat;
using ChatServer.Network;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Supervision;

public class TreeShapeTests
{
    [Test]
    public async Task The_rendered_tree_has_the_documented_shape_in_start_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        var rendered = await server.Host.RenderTreeAsync();

        var lines = rendered.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].Should().StartWith("chat ", "the root supervisor comes first; tree:\n{0}", rendered);
        var children = lines.Skip(1).Select(Parse).ToList();
        children.Select(c => (c.Depth, c.Id)).Should().Equal(
            [
                (0, ServiceNames.Presence),
                (0, "rooms"),
                (1, ServiceNames.RoomSupervisor),
                (2, "room"),
                (1, ServiceNames.RoomDirectory),
                (0, ServiceNames.Clients),
                (1, "client"),
                (0, ServiceNames.Acceptor),
                (0, ServiceNames.IrcAcceptor),
            ],
            "the tree should be presence, rooms (room_supervisor with a room, #lobby, room_directory), clients (one worker per connection), the chat port's acceptor, the IRC port's; tree:\n{0}",
            rendered);
        children.Should().OnlyContain(c => c.Line.Contains(" running ", StringComparison.Ordinal), "every process is running; tree:\n{0}", rendered);
        Line(children, "rooms").Should().Contain("[supervisor]").And.Contain("(rest_for_one)");
        Line(children, ServiceNames.RoomSupervisor).Should().Contain("[supervisor]").And.Contain("(dynamic");
        Line(children, ServiceNames.Clients).Should().Contain("[supervisor]").And.Contain("(dynamic");
        Line(children, "client").Should().Contain("[worker]").And.Contain(" temporary ");
        Line(children, "room").Should().Contain("[worker]").And.Contain(" temporary ");
        Line(children, ServiceNames.Presence).Should().Contain("[worker]").And.Contain(" permanent ");
        Line(children, ServiceNames.Acceptor).Should().Contain("[worker]").And.Contain(" permanent ");
        Line(children, ServiceNames.IrcAcceptor).Should().Contain("[worker]").And.Contain(" permanent ");
    }

    [Test]
    public async Task Every_long_lived_service_is_registered_under_its_name()
    {
        await using var server = await TestServer.StartAsync();
        var names = server.Host.Services.Names;

        names.WhereIs(ServiceNames.Presence).Should().BeOfType<Presence>();
        names.WhereIs(ServiceNames.RoomDirectory).Should().BeOfType<RoomDirectory>();
        names.WhereIs(ServiceNames.RoomSupervisor).Should().BeOfType<DynamicSupervisor>();
        names.WhereIs(ServiceNames.Clients).Should().BeOfType<DynamicSupervisor>();
        names.WhereIs(ServiceNames.Acceptor).Should().BeOfType<Acceptor>();
    }

    private static string Line(IEnumerable<(int Depth, string Id, string Line)> children, string id) =>
        children.First(c => c.Id == id).Line;

    private static (int Depth, string Id, string Line) Parse(string line)
    {
        var branch = line.IndexOf("── ", StringComparison.Ordinal);
        branch.Should().BeGreaterThan(0, "every child line has a branch: \"{0}\"", line);
        var start = branch + "── ".Length;
        var end = line.IndexOf(" [", start, StringComparison.Ordinal);
        end.Should().BeGreaterThan(start, "every child line names its type: \"{0}\"", line);
        return ((branch - 1) / 4, line[start..end], line);
    }
}
