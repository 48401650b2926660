"""Device tracking: the devices a sign-in hands out; ConfirmDevice, UpdateDeviceStatus, ForgetDevice;
ListDevices, GetDevice and their Admin* forms (AdminListDevices, AdminGetDevice, AdminForgetDevice).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from .._core.caps import MAX_DEVICE_KEY, MAX_DEVICE_NAME, MAX_USERNAME
from ..server import DeviceServerSRP
from .context import Context, Pool, Request, Response
from .issuing import access_token_user
from .listing import page, read_limit
from .state import Device, PoolUser
from .wire import ServiceError, read_text

__all__ = [
    "admin_forget_device",
    "admin_get_device",
    "admin_list_devices",
    "confirm_device",
    "device_type",
    "forget_device",
    "get_device",
    "list_devices",
    "new_device",
    "update_device_status",
]

# Devices handed out but never confirmed (each sign-in without one makes one): a
# user keeps the newest few, so repeated sign-ins cannot grow the state without bound.
_MAX_UNCONFIRMED_DEVICES = 16


def new_device(ctx: Context, pool: Pool, user: PoolUser) -> Device:
    """A device for the user's NewDeviceMetadata, not yet confirmed."""
    device = Device(
        pool.record.id,
        user.username,
        f"{pool.record.id.split('_')[0]}_{uuid.uuid4()}",
        "-" + secrets.token_urlsafe(7),
        ctx.clock(),
    )
    with ctx.lock:
        pending = [d for d in pool.devices_of(user.username) if d.verifier_config is None]
        for old in pending[: max(0, len(pending) - _MAX_UNCONFIRMED_DEVICES + 1)]:
            pool.remove_device(old)
            ctx.store.delete(old)
        pool.add_device(device)
        ctx.put(device)
    return device


def _device(pool: Pool, user: PoolUser, request: Request) -> Device:
    """The user's device the request's DeviceKey names (call with the lock held)."""
    key = read_text(request, "DeviceKey", max_len=MAX_DEVICE_KEY)
    device = pool.devices.get(str(key))
    if device is None or device.username != user.username:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    return device


def confirm_device(ctx: Context, request: Request, region: str) -> Response:
    """ConfirmDevice: the device's verifier config, remembered unless the pool asks the user."""
    pool, user = access_token_user(ctx, request)
    with ctx.lock:
        device = _device(pool, user, request)
    config = request.get("DeviceSecretVerifierConfig")
    if not isinstance(config, dict):
        raise ServiceError("InvalidParameterException", "DeviceSecretVerifierConfig is required.")
    name = read_text(request, "DeviceName", required=False, max_len=MAX_DEVICE_NAME)
    # Checked now, as Cognito does, rather than at the device's next sign-in; a bad
    # config is InvalidParameterException through handle()'s translation.
    DeviceServerSRP(user.username, device.group_key, device.key, config)
    prompt = bool((pool.record.device_configuration or {}).get("DeviceOnlyRememberedOnUserPrompt"))
    with ctx.lock:
        # Again under the lock: a ForgetDevice meanwhile must not be undone by the write.
        device = _device(pool, user, request)
        device.verifier_config = {
            "PasswordVerifier": config["PasswordVerifier"],
            "Salt": config["Salt"],
        }
        device.name = name
        device.remembered = not prompt
        ctx.put(device)
    return {"UserConfirmationNecessary": prompt}


def update_device_status(ctx: Context, request: Request, region: str) -> Response:
    """UpdateDeviceStatus: remembered or not_remembered."""
    pool, user = access_token_user(ctx, request)
    status = request.get("DeviceRememberedStatus")
    if status not in ("remembered", "not_remembered"):
        raise ServiceError(
            "InvalidParameterException",
            "DeviceRememberedStatus: remembered or not_remembered",
        )
    with ctx.lock:
        device = _device(pool, user, request)
        device.remembered = status == "remembered"
        ctx.put(device)
    return {}


def forget_device(ctx: Context, request: Request, region: str) -> Response:
    """ForgetDevice."""
    pool, user = access_token_user(ctx, request)
    with ctx.lock:
        device = _device(pool, user, request)
        pool.remove_device(device)
        ctx.store.delete(device)
    return {}


def device_type(device: Device) -> dict[str, Any]:
    """DeviceType as Cognito answers it: DeviceKey, DeviceAttributes and the three dates.

    DeviceAttributes are device_status ("valid"), device_remembered_status and
    device_name (when ConfirmDevice gave one). last_ip_used is left out: the
    service is not told the client's address.
    """
    attributes = [
        {"Name": "device_status", "Value": "valid"},
        {
            "Name": "device_remembered_status",
            "Value": "remembered" if device.remembered else "not_remembered",
        },
    ]
    if device.name is not None:
        attributes.append({"Name": "device_name", "Value": device.name})
    out: dict[str, Any] = {
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": max(device.created, device.last_authenticated or 0.0),
    }
    if device.last_authenticated is not None:
        out["DeviceLastAuthenticatedDate"] = device.last_authenticated
    return out


def _listed(ctx: Context, pool: Pool, user: PoolUser, request: Request) -> Response:
    """A page of the user's confirmed devices (a device never confirmed is not theirs yet)."""
    limit = read_limit(request, "Limit", low=0, default=60)
    with ctx.lock:
        confirmed = [d for d in pool.devices_of(user.username) if d.verifier_config is not None]
        chunk, token = page(confirmed, lambda d: d.key, request, "PaginationToken", limit)
        out: dict[str, Any] = {"Devices": [device_type(d) for d in chunk]}
    if token is not None:
        out["PaginationToken"] = token
    return out


def _confirmed(pool: Pool, user: PoolUser, request: Request) -> Device:
    """The user's confirmed device the request names (call with the lock held)."""
    device = _device(pool, user, request)
    if device.verifier_config is None:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    return device


def _admin_user(ctx: Context, request: Request) -> tuple[Pool, PoolUser]:
    """The request's pool and the user its Username names (call with the lock held)."""
    pool = ctx.pool(request)
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    return pool, pool.user(str(username))


def list_devices(ctx: Context, request: Request, region: str) -> Response:
    """ListDevices: the signed-in user's devices."""
    pool, user = access_token_user(ctx, request)
    return _listed(ctx, pool, user, request)


def get_device(ctx: Context, request: Request, region: str) -> Response:
    """GetDevice: one of the signed-in user's devices."""
    pool, user = access_token_user(ctx, request)
    with ctx.lock:
        return {"Device": device_type(_confirmed(pool, user, request))}


def admin_list_devices(ctx: Context, request: Request, region: str) -> Response:
    """AdminListDevices."""
    with ctx.lock:
        pool, user = _admin_user(ctx, request)
    return _listed(ctx, pool, user, request)


def admin_get_device(ctx: Context, request: Request, region: str) -> Response:
    """AdminGetDevice."""
    with ctx.lock:
        pool, user = _admin_user(ctx, request)
        return {"Device": device_type(_confirmed(pool, user, request))}


def admin_forget_device(ctx: Context, request: Request, region: str) -> Response:
    """AdminForgetDevice: the device can no longer sign in; the user's next sign-in gets a new one."""
    with ctx.lock:
        pool, user = _admin_user(ctx, request)
        device = _device(pool, user, request)
        pool.remove_device(device)
        ctx.store.delete(device)
    return {}
