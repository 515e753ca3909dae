"""Typed errors. Every message names the field, the offending value and, where useful, the fix."""

__all__ = [
    "VerifierError",
    "InputError",
    "CertificateMalformed",
    "CertificateTooLarge",
    "CertificateInvalid",
    "SolverFailure",
    "TrainingDiverged",
    "InternalError",
]


class VerifierError(Exception):
    """Base class; the CLI turns it into a one-line message and a non-zero exit status."""

    exit_status = 2


class InputError(VerifierError):
    """A user-supplied instance, network or option is wrong: `field: problem`."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class CertificateMalformed(VerifierError):
    """A certificate file does not have the documented shape (exit status 2)."""


class CertificateTooLarge(CertificateMalformed):
    """A certificate whose checking would exceed a documented work limit (exit status 2, refused before the
    work is done)."""


class CertificateInvalid(VerifierError):
    """A well-formed certificate whose claim is not proved (exit status 1)."""

    exit_status = 1


class TrainingDiverged(InputError):
    """Gradient descent produced a non-finite loss (a step size too large for the instance)."""


class SolverFailure(VerifierError):
    """A numerical solver failed or returned something the exact side could not certify."""

    exit_status = 3


class InternalError(VerifierError):
    """Two independent computations disagree: a bug, never a result."""

    exit_status = 4
