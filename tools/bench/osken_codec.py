#!/usr/bin/python3
"""Encode and decode OpenFlow 1.3 messages with os-ken, for comparison with the SDMI codec.

Reads the messages that benchmarks/Sdmi.Benchmarks.Macro wrote as hex (flow_mod.hex,
packet_in.hex, flow_stats_reply.hex) from DIRECTORY. Builds the same FLOW_MOD with
os_ken.ofproto.ofproto_v1_3_parser and exits with status 1 unless its bytes equal
flow_mod.hex, so both sides measure the same message. Then times, for ITERATIONS
iterations each: FLOW_MOD encode and decode, PACKET_IN decode, flow stats reply decode.
os-ken 2.5 has no encoder for PACKET_IN or multipart replies, which a controller only
receives. Prints one JSON object with operations per second, the median of 5 passes.

Usage: osken_codec.py DIRECTORY ITERATIONS
"""

import json
import pathlib
import statistics
import sys
import time

import os_ken
from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_3 as ofproto
from os_ken.ofproto import ofproto_v1_3_parser as parser

PASSES = 5
XID = 0x12345678


class Datapath:
    """The two attributes of os_ken.controller.Datapath that message classes read."""

    ofproto = ofproto
    ofproto_parser = parser


def build_flow_mod(datapath):
    match = parser.OFPMatch(
        in_port=1,
        eth_type=0x0800,
        ip_proto=6,
        ipv4_dst=("172.16.20.0", "255.255.255.0"),
        tcp_dst=5432,
    )
    actions = [
        parser.OFPActionSetField(eth_dst="02:00:ac:10:14:01"),
        parser.OFPActionDecNwTtl(),
        parser.OFPActionOutput(2, ofproto.OFPCML_NO_BUFFER),
    ]
    instructions = [
        parser.OFPInstructionActions(ofproto.OFPIT_APPLY_ACTIONS, actions),
        parser.OFPInstructionGotoTable(1),
    ]
    message = parser.OFPFlowMod(
        datapath,
        cookie=0x1234,
        cookie_mask=0,
        table_id=0,
        command=ofproto.OFPFC_ADD,
        idle_timeout=0,
        hard_timeout=0,
        priority=100,
        buffer_id=ofproto.OFP_NO_BUFFER,
        out_port=ofproto.OFPP_ANY,
        out_group=ofproto.OFPG_ANY,
        flags=0,
        match=match,
        instructions=instructions,
    )
    message.set_xid(XID)
    return message


def decode(datapath, data):
    version, msg_type, msg_len, xid = ofproto_parser.header(data)
    return ofproto_parser.msg(datapath, version, msg_type, msg_len, xid, data)


def measure(iterations, action):
    action()
    seconds = []
    for _ in range(PASSES):
        start = time.perf_counter()
        for _ in range(iterations):
            action()
        seconds.append(time.perf_counter() - start)
    return iterations / statistics.median(seconds)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory = pathlib.Path(sys.argv[1])
    iterations = int(sys.argv[2])
    datapath = Datapath()
    messages = {
        name: bytes.fromhex((directory / f"{name}.hex").read_text().strip())
        for name in ("flow_mod", "packet_in", "flow_stats_reply")
    }

    flow_mod = build_flow_mod(datapath)
    flow_mod.serialize()
    if bytes(flow_mod.buf) != messages["flow_mod"]:
        sys.exit(
            "os-ken encodes a different FLOW_MOD:\n"
            f"  os-ken {bytes(flow_mod.buf).hex()}\n  SDMI   {messages['flow_mod'].hex()}"
        )

    stats = decode(datapath, messages["flow_stats_reply"])
    if len(stats.body) != 10:
        sys.exit(f"os-ken decoded {len(stats.body)} flow stats entries, expected 10")

    rates = [
        ("FLOW_MOD", "encode", measure(iterations, flow_mod.serialize)),
        ("FLOW_MOD", "decode", measure(iterations, lambda: decode(datapath, messages["flow_mod"]))),
        ("PACKET_IN", "decode", measure(iterations, lambda: decode(datapath, messages["packet_in"]))),
        ("flow stats reply", "decode",
         measure(iterations, lambda: decode(datapath, messages["flow_stats_reply"]))),
    ]
    print(json.dumps({
        "os_ken": getattr(os_ken, "__version__", "unknown"),
        "python": sys.version.split()[0],
        "iterations": iterations,
        "rates": [
            {"message": message, "operation": operation, "operations_per_second": rate}
            for message, operation, rate in rates
        ],
    }))


if __name__ == "__main__":
    main()
