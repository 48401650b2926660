"""Every size limit srpkit enforces, in one home, so that client, server and endpoint agree.

Two kinds: the API model's string lengths (cognito-idp 2016-04-18, botocore's
service model; tests compare them), and caps on what a peer can make srpkit
parse or compute, checked before any big arithmetic. A value one side produces
is never refused by the other: both read the same constant.
"""

from __future__ import annotations

from .group import N_BITS

# -- lengths from the API model ---------------------------------------------------------
MAX_POOL_ID = 55  # UserPoolIdType
MAX_CLIENT_ID = 128  # ClientIdType
MAX_DEVICE_KEY = 55  # DeviceKeyType
MAX_USERNAME = 128  # UsernameType
MAX_PASSWORD = 256  # PasswordType
MIN_SESSION = 20  # SessionType
MAX_SESSION = 4096  # SessionType (botocore 1.43.117; it was 2048 before)
MAX_SECRET_HASH = 128  # SecretHashType
MAX_STRING = 131072  # StringType: every AuthParameters / ChallengeParameters value
MAX_DEVICE_NAME = 1024  # DeviceNameType

# -- caps that bound work (looser than anything a real peer sends) ----------------------
# The model caps ClientSecretType at 64 characters; this is looser on purpose (it
# only bounds work), since a secret srpkit refuses is a sign-in it breaks.
MAX_CLIENT_SECRET = 1024
# Access, id and refresh tokens (TokenModelType has no length in the model).
MAX_TOKEN = 16384
# Cognito's group keys are short ("-AbCdEfGh1"), but NewDeviceMetadata.DeviceGroupKey
# is a StringType; the client signs and the server verifies up to the same length.
MAX_DEVICE_GROUP_KEY = 1024
MAX_DEVICE_PASSWORD = 1024
# A legitimate SRP_A is below N (768 hex digits); room above allows leading zeros
# and A >= N, which SRP-6a only requires to be nonzero mod N.
MAX_SRP_A_HEX = 1024
MAX_SRP_A_BITS = N_BITS + 64
# Cognito sends B < N and a 128-bit salt; twice N's width leaves room for leading
# zeros and B >= N, which the JS clients accept.
MAX_SRP_B_HEX = 1536
MAX_SALT_HEX = 1024
# SECRET_BLOCK is opaque base64; PASSWORD_CLAIM_SIGNATURE is 32 bytes in base64.
MAX_SECRET_BLOCK = MAX_STRING
MAX_SIGNATURE_B64 = 128
# A ConfirmDevice verifier and salt, base64 (v < N is 384 bytes, 512 characters).
MAX_VERIFIER_B64 = 2048
MAX_TIMESTAMP = 64
# A caller-fixed private ephemeral a (or b): the official clients draw 128 bytes, but any
# a >= 1 is a valid exponent and the JS clients and the .NET SDK use it unreduced (A = g^a,
# S = (B - k*g^x)^(a + u*x)); the .NET SDK's own unit test fixes an 8186-bit a. Twice that
# width still bounds the work (an exponentiation's cost grows with the exponent's bits:
# 16 times a drawn a's, about 0.6 s in pure Python), and leaves room for other SDKs' tests.
MAX_SMALL_A_BITS = 16384
MAX_SMALL_A_HEX = 2 * MAX_SMALL_A_BITS // 4  # room for leading zeros in a vector's hex
# Requests in one sign-in journey: the longest real one (USER_AUTH, SELECT_CHALLENGE,
# PASSWORD_VERIFIER, the device steps, SELECT_MFA_TYPE, MFA, NEW_PASSWORD_REQUIRED) is under
# ten; a CUSTOM_AUTH may ask several rounds. The bound stops a server that never finishes.
MAX_CHALLENGE_STEPS = 32
# Worker processes of one `srpkit vectors check` (-j): more than any machine's cores, few
# enough that a typo cannot fork a machine to a halt.
MAX_JOBS = 256
