"""What every operation of the local Cognito shares: one lock, the store, the clock, the pools and sign-ins.

One lock guards the state; the big arithmetic (SRP, RSA) runs outside it. The
lookups here are called with the lock held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from .._core.caps import MAX_CLIENT_ID, MAX_POOL_ID
from .grants import Grants
from .pending import SignIns
from .state import AppClient, Device, PoolRecord, PoolUser, Record, Store
from .tokens import SigningKey
from .wire import ServiceError, read_text, sign_in_names

__all__ = ["Context", "Pool", "Request", "Response"]

# What every operation takes and returns: Cognito's JSON, decoded.
Request = Mapping[str, Any]
Response = dict[str, Any]


class Pool:
    """One pool's live state: its record, key, clients, users, sign-in names and devices."""

    def __init__(self, record: PoolRecord, key: SigningKey | None = None) -> None:
        self.record = record
        # A new pool passes the key it just generated rather than parse its PEM back.
        self.key = SigningKey.from_pem(record.signing_key) if key is None else key
        self.clients: dict[str, AppClient] = {}
        self.users: dict[str, PoolUser] = {}  # normalized username -> user
        self._names: dict[str, str] = {}  # normalized alias -> normalized username
        self._names_of: dict[str, list[str]] = {}
        self.devices: dict[str, Device] = {}
        self._devices_of: dict[str, dict[str, Device]] = {}  # username -> its devices

    def norm(self, name: str) -> str:
        return name if self.record.case_sensitive else name.lower()

    def find(self, name: str) -> PoolUser | None:
        """The user a sign-in name (username, or an active alias) belongs to."""
        key = self.norm(name)
        user = self.users.get(key)
        if user is None and key in self._names:
            user = self.users.get(self._names[key])
        return user

    def user(self, name: str) -> PoolUser:
        """The user ``name`` signs in as, or UserNotFoundException."""
        user = self.find(name)
        if user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        return user

    def index(self, user: PoolUser) -> None:
        """Add or update ``user`` and the names it signs in with."""
        key = self.norm(user.username)
        for alias in self._names_of.pop(key, []):
            if self._names.get(alias) == key:
                del self._names[alias]
        self.users[key] = user
        aliases = [self.norm(name) for name in sign_in_names(self.record, user)]
        self._names_of[key] = aliases
        for alias in aliases:
            self._names[alias] = key

    def add_device(self, device: Device) -> None:
        self.devices[device.key] = device
        self._devices_of.setdefault(device.username, {})[device.key] = device

    def remove_device(self, device: Device) -> None:
        del self.devices[device.key]
        self._devices_of.get(device.username, {}).pop(device.key, None)

    def devices_of(self, username: str) -> list[Device]:
        return list(self._devices_of.get(username, {}).values())

    def remove_user(self, user: PoolUser) -> list[Device]:
        """Forget ``user``, the names it signs in with and its devices; the devices removed."""
        key = self.norm(user.username)
        for alias in self._names_of.pop(key, []):
            if self._names.get(alias) == key:
                del self._names[alias]
        self.users.pop(key, None)
        devices = list(self._devices_of.pop(user.username, {}).values())
        for device in devices:
            self.devices.pop(device.key, None)
        return devices


class Context:
    """The service's state: pools and app clients loaded from ``store``, and the pending sign-ins.

    ``revocable``: tokens carry ``origin_jti``. ``issuer_base``: the URL tokens
    name as their issuer (None: Cognito's own).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float],
        revocable: bool,
        issuer_base: str | None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.revocable = revocable
        self.issuer_base = issuer_base
        self.lock = threading.Lock()
        self.pools: dict[str, Pool] = {}
        self.clients: dict[str, AppClient] = {}
        self.sign_ins = SignIns(self.lock, clock)
        self._key_lock = threading.Lock()
        self._new_pool_key: SigningKey | None = None
        self._load()
        # The refresh-token grants, indexed from the store; guarded by ``lock`` like the rest.
        self.grants = Grants(self)

    def _load(self) -> None:
        for record in self.store.load():
            if isinstance(record, PoolRecord):
                self.pools[record.id] = Pool(record)
            elif record.pool_id in self.pools:
                pool = self.pools[record.pool_id]
                if isinstance(record, AppClient):
                    pool.clients[record.id] = self.clients[record.id] = record
                elif isinstance(record, PoolUser):
                    pool.index(record)
                elif isinstance(record, Device):
                    pool.add_device(record)

    def issuer(self, pool_id: str) -> str:
        """The ``iss`` of the pool's tokens."""
        region = pool_id.split("_", 1)[0]
        base = self.issuer_base or f"https://cognito-idp.{region}.amazonaws.com"
        return f"{base.rstrip('/')}/{pool_id}"

    def new_pool_key(self) -> SigningKey:
        """The RS256 key new pools sign with: one per service, generated at the first pool.

        Generating a 2048-bit RSA key costs ~50 ms of CPU (and the GIL), and
        CreateUserPool is unauthenticated: a key per call let a flood of them stall
        everyone's sign-ins (issue #18, item 8). So every pool this service creates
        shares one key, as one local issuer; pools restored from ``--state`` keep
        the keys they were created with. Tokens still name their pool in ``iss``
        and srpkit serve accepts a token only for the pool its ``iss`` names; a
        verifier that checks the signature but not ``iss`` (aws-jwt-verify checks
        both) would take one local pool's token for another's.
        """
        with self._key_lock:
            if self._new_pool_key is None:
                self._new_pool_key = SigningKey.generate()
            return self._new_pool_key

    def remove_pool(self, pool: Pool) -> list[Record]:
        """Forget ``pool`` and its clients, users and devices; every record removed."""
        removed: list[Record] = [pool.record, *pool.clients.values(), *pool.users.values()]
        removed += list(pool.devices.values())
        for client_id in pool.clients:
            self.clients.pop(client_id, None)
        del self.pools[pool.record.id]
        return removed

    # -- state helpers (call with the lock held) ---------------------------------------
    def put(self, record: Record) -> None:
        self.store.put(record)

    def pool(self, request: Request) -> Pool:
        """The pool the request's UserPoolId names, or ResourceNotFoundException."""
        pool_id = read_text(request, "UserPoolId", max_len=MAX_POOL_ID)
        assert pool_id is not None
        pool = self.pools.get(pool_id)
        if pool is None:
            raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    def client(self, request: Request) -> tuple[Pool, AppClient]:
        """The app client the request's ClientId names, and its pool."""
        client_id = read_text(request, "ClientId", max_len=MAX_CLIENT_ID)
        assert client_id is not None
        client = self.clients.get(client_id)
        if client is None:
            raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
        return self.pools[client.pool_id], client
