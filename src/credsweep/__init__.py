"""credsweep: find leaked credentials and bad credential hygiene in git repositories."""

__version__ = "0.1.0"
