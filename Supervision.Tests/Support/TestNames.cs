namespace Supervision.Tests.Support;

public static class TestNames
{
    /// <summary>A supervisor name no other test uses, so metrics and logs can be told apart.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
