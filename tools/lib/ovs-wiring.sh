# shellcheck shell=bash
# Wire Docker containers (network mode "none") into an Open vSwitch bridge
# with the userspace datapath, the way SDMI connects containers: a veth pair
# per container, one end renamed to eth0 inside the container's network
# namespace and the other end added to the bridge as an OpenFlow port.
# Source tools/lib/common.sh first.
#
# Checked on Debian 12 with Open vSwitch 3.1 (datapath_type=netdev) and
# kernel 6.18: a veth sends TCP and UDP packets with a partial checksum (TX
# checksum offload is on by default). The userspace datapath forwards them
# unchanged, so the receiving container drops them. ARP and ping still work,
# which hides the problem. Turning TX checksum offload off on the
# container's end (`ethtool -K eth0 tx off`) fixes it. The host end and OVS
# internal ports (tap devices, offload already off) need nothing.
#
# A container restart gives the container a new network namespace, and the
# kernel deletes the veth pair with the old one. The pair must then be
# created and attached again.

# Print the MAC address SDMI derives from an IPv4 address: 02:00 followed by
# the four address bytes (a locally administered unicast address).
sdmi_mac_for_ipv4() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  printf '02:00:%02x:%02x:%02x:%02x\n' "$a" "$b" "$c" "$d"
}

# Create a veth pair for a running container and attach it to BRIDGE.
# Usage: sdmi_attach_container BRIDGE CONTAINER HOST_IF OFPORT ADDRESS/PREFIX GATEWAY
#   HOST_IF  name of the bridge-side end (at most 15 characters)
#   OFPORT   OpenFlow port number requested for HOST_IF
# Inside the container the interface is eth0, with the MAC from
# sdmi_mac_for_ipv4 and a default route through GATEWAY.
sdmi_attach_container() {
  local bridge="$1" container="$2" host_if="$3" ofport="$4" address="$5" gateway="$6"
  local pid mac peer="${host_if:0:13}-c"
  pid="$(sdmi_docker inspect -f '{{.State.Pid}}' "$container")"
  [[ "$pid" =~ ^[1-9][0-9]*$ ]] || sdmi_die "container $container is not running (pid '$pid')"
  mac="$(sdmi_mac_for_ipv4 "${address%/*}")"

  ip link add "$host_if" type veth peer name "$peer"
  ip link set "$peer" netns "$pid"
  nsenter -t "$pid" -n ip link set "$peer" name eth0
  nsenter -t "$pid" -n ip link set eth0 address "$mac"
  # nsenter -n enters only the network namespace, so this runs the host's
  # ethtool and the image needs no copy of it.
  nsenter -t "$pid" -n ethtool -K eth0 tx off >/dev/null
  nsenter -t "$pid" -n ip address add "$address" dev eth0
  nsenter -t "$pid" -n ip link set eth0 up
  nsenter -t "$pid" -n ip route add default via "$gateway"
  ip link set "$host_if" up
  ovs-vsctl --may-exist add-port "$bridge" "$host_if" -- \
    set Interface "$host_if" ofport_request="$ofport"
}

# Add an OVS internal port with a host address to BRIDGE, so that the host
# can reach containers through the bridge. The kernel adds a route for the
# address's subnet through this port only.
# Usage: sdmi_add_host_port BRIDGE PORT OFPORT ADDRESS/PREFIX
sdmi_add_host_port() {
  local bridge="$1" port="$2" ofport="$3" address="$4"
  local mac
  mac="$(sdmi_mac_for_ipv4 "${address%/*}")"
  ovs-vsctl --may-exist add-port "$bridge" "$port" -- \
    set Interface "$port" type=internal ofport_request="$ofport" mac="\"$mac\""
  ip link set "$port" up
  ip address add "$address" dev "$port"
}

# Install an ARP responder flow: a request for IP gets a reply with MAC, sent
# out of the port the request came in on, as OVN does for its router ports.
# Nicira register moves (NXAST_REG_MOVE) turn the request into the reply
# inside the switch.
# Usage: sdmi_add_arp_responder BRIDGE IP MAC
sdmi_add_arp_responder() {
  local bridge="$1" ip="$2" mac="$3"
  ovs-ofctl -O OpenFlow13 add-flow "$bridge" "table=0,priority=200,arp,arp_op=1,arp_tpa=$ip,actions=\
move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:$mac->eth_src,\
set_field:2->arp_op,\
move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:$mac->arp_sha,\
move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:$ip->arp_spa,\
IN_PORT"
}
