namespace Sdmi.Fabric;

/// <summary>The OpenFlow tables of the fabric pipeline, in the order a packet visits them.</summary>
public static class FabricTables
{
    /// <summary>Admits packets only from known endpoint ports with their own MAC and IPv4 address, and tags them.</summary>
    public const byte Classifier = 0;

    /// <summary>Answers ARP requests for gateways and endpoints inside the switch.</summary>
    public const byte ArpResponder = 1;

    /// <summary>Delivers within a network and routes between networks along declared dependencies.</summary>
    public const byte Forwarding = 2;
}
