"""The client half: reading challenges, UserSRP, DeviceSRP and the request bodies. Imports only ``_core``."""
