"""ctip — national counter-trafficking-in-persons information system."""

__version__ = "0.1.0"
