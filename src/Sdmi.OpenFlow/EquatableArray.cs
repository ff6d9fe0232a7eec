using System.Collections;
using System.Runtime.CompilerServices;

namespace Sdmi.OpenFlow;

/// <summary>
/// Immutable array with element-wise equality, so that message records compare by content.
/// The default value is an empty array. Supports collection expressions: <c>EquatableArray&lt;int&gt; a = [1, 2];</c>
/// </summary>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    public EquatableArray(ReadOnlySpan<T> items)
    {
        _items = items.IsEmpty ? null : items.ToArray();
    }

    private EquatableArray(T[]? items, bool _)
    {
        _items = items is { Length: > 0 } ? items : null;
    }

    public static EquatableArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public bool IsEmpty => Count == 0;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public static implicit operator EquatableArray<T>(T[] items) => new(items.AsSpan());

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>
    /// Wraps an array that the caller will not change afterwards, without copying it.
    /// </summary>
    internal static EquatableArray<T> FromOwned(T[] items) => new(items, false);

    public bool Equals(EquatableArray<T> other) =>
        AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (T item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    public override string ToString()
    {
        if (typeof(T) == typeof(byte))
        {
            return Convert.ToHexString((byte[]?)(object?)_items ?? []);
        }

        return "[" + string.Join(", ", _items ?? []) + "]";
    }
}

/// <summary>Factory used by collection expressions for <see cref="EquatableArray{T}"/>.</summary>
public static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(items);
}
