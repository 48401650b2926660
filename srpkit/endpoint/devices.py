"""Device tracking: the devices a sign-in hands out, and ConfirmDevice, UpdateDeviceStatus, ForgetDevice."""

from __future__ import annotations

import secrets
import uuid

from .._core.caps import MAX_DEVICE_KEY, MAX_DEVICE_NAME
from ..server import DeviceServerSRP
from .context import Context, Pool, Request, Response
from .issuing import access_token_user
from .state import Device, PoolUser
from .wire import ServiceError, read_text

__all__ = ["confirm_device", "forget_device", "new_device", "update_device_status"]

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
