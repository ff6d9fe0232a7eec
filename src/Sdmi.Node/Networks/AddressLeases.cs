using System.Runtime.Serialization;
using System.Net;
using Sdmi.Model;

namespace Sdmi.Node.Networks;

/// <summary>One replica's address on a network.</summary>
public sealed record Lease(string Service, int Replica, string Address);

/// <summary>A replica that needs an address, and the address it prefers.</summary>
public sealed record LeaseRequest(string Service, int Replica, IPAddress Preferred);

/// <summary>
/// Decides a network's leases for a declaration. A replica that has an address in the range keeps
/// it, so a changed declaration (a service added before another, a larger scale.max) does not move
/// running containers. A replica without one gets its preferred address when it is free, otherwise
/// the lowest free address. A lease that the declaration no longer needs is kept, and its address
/// stays taken, until a plan with releaseUndeclared: a deployment releases them only after it has
/// removed their containers, so a run that fails part way never hands out an address still in use.
/// </summary>
public static class AddressLeases
{
    public sealed record Plan(IReadOnlyList<Lease> Leases, IReadOnlyList<Lease> Granted, IReadOnlyList<Lease> Released);

    public static Plan Decide(
        string network, AddressRange range, IReadOnlyCollection<Lease> current, IReadOnlyList<LeaseRequest> requests, bool releaseUndeclared)
    {
        var held = current.ToDictionary(l => (l.Service, l.Replica));
        var requested = requests.Select(r => (r.Service, r.Replica)).ToHashSet();
        var kept = new List<Lease>();
        var unplaced = new List<LeaseRequest>();
        foreach (var request in requests)
        {
            if (held.TryGetValue((request.Service, request.Replica), out var lease) && range.Contains(IPAddress.Parse(lease.Address)))
            {
                kept.Add(lease);
            }
            else
            {
                unplaced.Add(request);
            }
        }

        // A requested replica whose lease left the range gets a new address, so its old lease goes now.
        var retained = releaseUndeclared ? [] : current.Where(l => !requested.Contains((l.Service, l.Replica))).ToList();
        var released = current.Except(kept).Except(retained).ToList();
        var taken = kept.Concat(retained).Concat(released).Select(l => l.Address).ToHashSet(StringComparer.Ordinal);
        var granted = new List<Lease>();
        var fallback = new List<LeaseRequest>();
        foreach (var request in unplaced)
        {
            var preferred = request.Preferred.ToString();
            if (range.Contains(request.Preferred) && taken.Add(preferred))
            {
                granted.Add(new Lease(request.Service, request.Replica, preferred));
            }
            else
            {
                fallback.Add(request);
            }
        }

        var next = 0L;
        foreach (var request in fallback)
        {
            while (next < range.Count && taken.Contains(range.AddressAt((int)next).ToString()))
            {
                next++;
            }

            if (next >= range.Count)
            {
                throw new AddressesExhaustedException(network, range, request);
            }

            var address = range.AddressAt((int)next).ToString();
            taken.Add(address);
            granted.Add(new Lease(request.Service, request.Replica, address));
        }

        var leases = kept.Concat(retained).Concat(granted).OrderBy(l => l.Service, StringComparer.Ordinal).ThenBy(l => l.Replica).ToList();
        return new Plan(leases, granted, released);
    }
}

/// <summary>A network's range has no free address for a replica.</summary>
[Serializable]
public sealed class AddressesExhaustedException : Exception
{
    public AddressesExhaustedException(string network, AddressRange range, LeaseRequest request)
        : base($"Network {network} has no free address in its range {range} for {request.Service} replica {request.Replica}: "
            + "every address is leased to a replica or was released by this change and may still be in use. "
            + "Widen the network's range, or lower a service's replicas and deploy again.")
    {
    }

#pragma warning disable SYSLIB0051 // Akka.Remote rebuilds an exception through this constructor; without it a reply's cause arrives as null.
    private AddressesExhaustedException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
