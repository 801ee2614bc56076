namespace ChatServer.Tests;

public class ChatServerProjectTests
{
    [Test]
    public void ChatServerAssemblyHasAnEntryPoint()
    {
        var assembly = typeof(Program).Assembly;

        assembly.EntryPoint.Should().NotBeNull();
        assembly.GetName().Name.Should().Be("ChatServer");
    }
}
