namespace ChatServer.Hosting.Settings;

/// <summary>
/// Marks an option whose default depends on the machine (the host name, the process id): the
/// generated appsettings.json holds null for it, which the option reads as "the default".
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ComputedDefaultAttribute : Attribute;
