namespace Supervision;

/// <summary>
/// A name in a <see cref="ProcessRegistry"/>, for <see cref="ChildSpec.RegisterAs"/> (OTP's
/// <c>{local, Name}</c>, Elixir's <c>name: {:via, Registry, {Registry, Key}}</c>).
/// </summary>
/// <param name="Registry">The registry that holds the name.</param>
/// <param name="Name">The name.</param>
public sealed record ProcessName(ProcessRegistry Registry, string Name)
{
    /// <summary>The name, as the registry shows it.</summary>
    public override string ToString() => Name;
}
