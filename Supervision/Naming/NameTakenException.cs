namespace Supervision;

/// <summary>A name is held by another live process (OTP's <c>{already_started, Pid}</c> / <c>already_registered</c>).</summary>
public sealed class NameTakenException : Exception
{
    /// <summary>Creates the exception for <paramref name="name"/>, held by <paramref name="holder"/>.</summary>
    public NameTakenException(string name, IProcess? holder)
        : base($"name {name} is already registered{(holder is null ? string.Empty : $" to {holder.Name} {holder.Id}")}")
    {
        RegisteredName = name;
        Holder = holder;
    }

    /// <summary>The name.</summary>
    public string RegisteredName { get; }

    /// <summary>The process holding it when the registration failed, if still known.</summary>
    public IProcess? Holder { get; }
}
