using System.Collections.Concurrent;
using System.Text.Json;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace Sdmi.Node.Persistence;

/// <summary>Marks a journal event that <see cref="JournalSerializer"/> stores as JSON.</summary>
public interface IJournalEvent;

/// <summary>
/// Stores journal events as System.Text.Json text with the event's type name as the manifest.
/// Akka's default Newtonsoft serializer writes type wrappers into interface-typed collections
/// (IReadOnlyList) that it then cannot read back into record constructors, so a journal written by
/// it could not be replayed after a restart.
/// </summary>
public sealed class JournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Serializer id in the range Akka leaves to applications (above 100).</summary>
    public const int SerializerId = 5301;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    public override int Identifier => SerializerId;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Types.GetOrAdd(manifest, static name => Type.GetType(name)
            ?? throw new SerializationException($"Journal event type '{name}' not found; was it renamed or moved?"));
        return JsonSerializer.Deserialize(bytes, type, Options)
            ?? throw new SerializationException($"Journal event of type '{manifest}' is empty.");
    }

    public override string Manifest(object o) => $"{o.GetType().FullName}, {o.GetType().Assembly.GetName().Name}";
}

/// <summary>
/// The message a persistent entity passivates with. A PoisonPill would stop the entity in the middle
/// of a journal write and lose the reply it was about to send. This message waits in the stash like
/// any command.
/// </summary>
public sealed record StopEntity
{
    public static readonly StopEntity Instance = new();
}
