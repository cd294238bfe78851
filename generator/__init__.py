"""safety-manual: tailored health and safety manuals for SECOR and COR."""

__version__ = "0.1.0"
