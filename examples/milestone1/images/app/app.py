"""HTTP service of the Milestone 1 application tier (image sdmi/app:1).

Endpoints, on 0.0.0.0:8080:
  POST /items       store the request body as a new row and return
                    {"id", "body", "node", "db"} with status 201
  GET  /items/{id}  return {"id", "body", "created_at", "node", "db"} or 404
  GET  /healthz     200 when `SELECT 1` succeeds on a database, 503 otherwise

"node" names this app replica and "db" is the database address that served
the request. A JSON request body of the form {"body": "..."} stores the value
of "body"; any other body is stored as UTF-8 text.

Environment:
  SDMI_DEPENDENCY_DB  comma-separated IPv4 addresses of the database nodes,
                      tried in order; the first one that accepts a connection
                      is used until it fails
  SDMI_DB_PORT        database port (default 5432)
  SDMI_DB_NAME        database name (default app)
  SDMI_DB_USER        database role (default app)
  SDMI_DB_PASSWORD    password of that role (default: none, for trust auth)
  SDMI_SERVICE, SDMI_REPLICA_INDEX  name this replica in responses and logs
  SDMI_APP_PORT       listening port (default 8080)

The database addresses usually exist only after the controller moves a veth
into this container's network namespace, so the service starts without a
database and connects on the first request.
"""

import ipaddress
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

MAX_BODY_BYTES = 1024 * 1024
MAX_BIGINT = 2**63 - 1
CONNECT_TIMEOUT_SECONDS = 2
TCP_USER_TIMEOUT_MILLISECONDS = 5000
STATEMENT_TIMEOUT_MILLISECONDS = 10000
ITEM_PATH = re.compile(r"^/items/([0-9]+)$")

log = logging.getLogger("sdmi-app")


class NoDatabaseError(Exception):
    """Raised when no database address accepts a connection."""


def parse_addresses(text):
    """Return the IPv4 addresses in a comma-separated list, in order.

    Raises ValueError naming the first entry that is not an IPv4 address.
    """
    addresses = []
    for entry in text.split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            addresses.append(str(ipaddress.IPv4Address(entry)))
        except ValueError:
            raise ValueError(
                f"invalid address {entry!r} in SDMI_DEPENDENCY_DB (expected IPv4)"
            ) from None
    return addresses


class Database:
    """Connections to the database nodes, one per request thread, with failover.

    Each thread keeps its connection and reuses it. When a connection fails,
    the next call connects to the addresses again, first one first.
    """

    def __init__(self, addresses, port, name, user, password):
        self.addresses = addresses
        self.port = port
        self.name = name
        self.user = user
        self.password = password
        self.local = threading.local()

    def connect(self):
        """Return (connection, address) for the first address that accepts one.

        Raises NoDatabaseError listing every address and its error.
        """
        errors = []
        for address in self.addresses:
            try:
                connection = psycopg2.connect(
                    host=address,
                    port=self.port,
                    dbname=self.name,
                    user=self.user,
                    password=self.password or None,
                    connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    application_name="sdmi-app",
                    # Without these, a request on a connection whose packets
                    # the switch starts dropping would wait for the kernel's
                    # TCP retransmission timeout (about 15 minutes).
                    tcp_user_timeout=TCP_USER_TIMEOUT_MILLISECONDS,
                    keepalives=1,
                    keepalives_idle=5,
                    keepalives_interval=2,
                    keepalives_count=2,
                    options=f"-c statement_timeout={STATEMENT_TIMEOUT_MILLISECONDS}",
                )
            except psycopg2.OperationalError as error:
                message = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
                errors.append(f"{address}: {message}")
                log.warning("database connection failed: address=%s error=%s", address, message)
                continue
            connection.autocommit = True
            return connection, address
        if not self.addresses:
            raise NoDatabaseError("no database addresses configured (SDMI_DEPENDENCY_DB is empty)")
        raise NoDatabaseError("no database reachable: " + "; ".join(errors))

    def run(self, operation):
        """Call operation(cursor) on this thread's connection and return (result, address).

        A connection that fails is dropped, and the operation is tried once
        more on a new connection, which may go to another address.
        NOTE: when a connection breaks after the server committed an INSERT
        but before the reply arrived, the retry inserts the row a second time.
        """
        for attempt in (1, 2):
            cached = getattr(self.local, "connection", None)
            if cached is None:
                cached = self.connect()
                self.local.connection = cached
            connection, address = cached
            try:
                with connection.cursor() as cursor:
                    return operation(cursor), address
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
                self.local.connection = None
                try:
                    connection.close()
                except psycopg2.Error:
                    pass
                log.warning(
                    "database request failed: address=%s attempt=%d error=%s",
                    address, attempt, str(error).strip(),
                )
                if attempt == 2:
                    raise NoDatabaseError(f"database {address} failed: {error}".strip()) from error
        raise AssertionError("unreachable")


def insert_item(body):
    def operation(cursor):
        cursor.execute(
            "INSERT INTO items (body) VALUES (%s) RETURNING id",
            (body,),
        )
        return cursor.fetchone()[0]

    return operation


def select_item(item_id):
    def operation(cursor):
        cursor.execute(
            "SELECT id, body, created_at FROM items WHERE id = %s",
            (item_id,),
        )
        return cursor.fetchone()

    return operation


def select_one(cursor):
    cursor.execute("SELECT 1")
    return cursor.fetchone()[0]


class Handler(BaseHTTPRequestHandler):
    server_version = "sdmi-app/1"
    protocol_version = "HTTP/1.1"

    # Set by main() before the server starts.
    database = None
    node_name = "app"

    def do_GET(self):
        started = time.monotonic()
        if self.path == "/healthz":
            self.handle_health(started)
            return
        match = ITEM_PATH.match(self.path)
        if match is None:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no route for GET {self.path}"}, started)
            return
        item_id = int(match.group(1))
        if item_id > MAX_BIGINT:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"item {item_id} not found"}, started)
            return
        result = self.query(select_item(item_id), started)
        if result is None:
            return
        row, address = result
        if row is None:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"item {item_id} not found", "db": address}, started, address)
            return
        self.send_json(
            HTTPStatus.OK,
            {
                "id": row[0],
                "body": row[1],
                "created_at": row[2].isoformat() if row[2] is not None else None,
                "node": self.node_name,
                "db": address,
            },
            started,
            address,
        )

    def do_POST(self):
        started = time.monotonic()
        if self.path != "/items":
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no route for POST {self.path}"}, started)
            return
        try:
            body = self.read_item_body()
        except ValueError as error:
            self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(error)}, started)
            return
        result = self.query(insert_item(body), started)
        if result is None:
            return
        item_id, address = result
        self.send_json(
            HTTPStatus.CREATED,
            {"id": item_id, "body": body, "node": self.node_name, "db": address},
            started,
            address,
        )

    def handle_health(self, started):
        result = self.query(select_one, started)
        if result is None:
            return
        _, address = result
        self.send_json(HTTPStatus.OK, {"status": "ok", "node": self.node_name, "db": address}, started, address)

    def query(self, operation, started):
        """Run operation on the database and return (result, address).

        On failure, send 503 (no database reachable) or 500 (the statement
        failed) and return None.
        """
        try:
            return self.database.run(operation)
        except NoDatabaseError as error:
            self.send_json(HTTPStatus.SERVICE_UNAVAILABLE, {"status": "unavailable", "error": str(error)}, started)
        except psycopg2.Error as error:
            message = str(error).strip() or type(error).__name__
            log.error("database statement failed: %s", message)
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"database error: {message}"}, started)
        return None

    def read_item_body(self):
        """Return the item text from the request body.

        Raises ValueError when the body is missing, too large or not UTF-8.
        """
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise ValueError("missing Content-Length header")
        try:
            length = int(length_header)
        except ValueError:
            raise ValueError(f"invalid Content-Length {length_header!r}") from None
        if length <= 0:
            raise ValueError("empty request body (send the item text)")
        if length > MAX_BODY_BYTES:
            raise ValueError(f"request body of {length} bytes exceeds the maximum of {MAX_BODY_BYTES}")
        raw = self.rfile.read(length)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("request body is not valid UTF-8") from None
        content_type = self.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip() == "application/json":
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                raise ValueError(f"invalid JSON body: {error}") from None
            if not isinstance(document, dict) or not isinstance(document.get("body"), str):
                raise ValueError('JSON body must be an object with a string field "body"')
            text = document["body"]
        if "\x00" in text:
            raise ValueError("item text must not contain NUL characters")
        return text

    def send_json(self, status, document, started, address="-"):
        payload = (json.dumps(document) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info(
            "%s %s %s %d %.1fms db=%s",
            self.client_address[0], self.command, self.path, status, elapsed_ms, address,
        )

    def log_message(self, format, *args):
        # send_json logs one line per request, so this drops the default
        # request line of BaseHTTPRequestHandler but keeps its error lines.
        if not format.startswith('"%s" %s %s'):
            log.warning("%s %s", self.client_address[0], format % args)


def stop_on_signal(signal_number, frame):
    raise SystemExit(0)


def main():
    logging.basicConfig(
        stream=sys.stdout,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    try:
        addresses = parse_addresses(os.environ.get("SDMI_DEPENDENCY_DB", ""))
        port = int(os.environ.get("SDMI_APP_PORT", "8080"))
        db_port = int(os.environ.get("SDMI_DB_PORT", "5432"))
    except ValueError as error:
        log.error("invalid configuration: %s", error)
        return 2

    service = os.environ.get("SDMI_SERVICE", "app")
    index = os.environ.get("SDMI_REPLICA_INDEX")
    Handler.node_name = f"{service}-{index}" if index else socket.gethostname()
    Handler.database = Database(
        addresses,
        db_port,
        os.environ.get("SDMI_DB_NAME", "app"),
        os.environ.get("SDMI_DB_USER", "app"),
        os.environ.get("SDMI_DB_PASSWORD", ""),
    )

    # docker stop sends SIGTERM through tini. SystemExit leaves serve_forever
    # so that the socket is closed and the stop is logged.
    signal.signal(signal.SIGTERM, stop_on_signal)
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    log.info(
        "listening on 0.0.0.0:%d as %s, databases %s",
        port, Handler.node_name, ",".join(addresses) or "(none)",
    )
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
