"""Reference code for the tests, written from the protocol and sharing nothing with srpkit."""
