"""The LMS method: z-scores from Box-Cox parameters (WHO 2006, *Methods and development*, chapter 7).

Every function takes scalars or numpy arrays (broadcast together) and returns a float or an array;
NaN in any input gives NaN out, which callers turn into ``None`` — a missing value is never a z of 0.
L, M and S keep the method's own capital names.
"""

from __future__ import annotations

import numpy as np


def _out(a: np.ndarray):
    return a[()] if a.ndim == 0 else a


def z_score(x, L, M, S):
    """``z = ((x/M)^L − 1) / (L·S)``; where ``L == 0``, its limit ``ln(x/M) / S``.

    Computed as ``expm1(L·ln(x/M)) / (L·S)``: the same number (within 1e-12 on WHO's tables), without
    the cancellation in ``(x/M)^L − 1`` near the median, and faster in numpy than ``**``.
    """
    x, L, M, S = (np.asarray(a, dtype=np.float64) for a in (x, L, M, S))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(x / M)
        z = np.expm1(L * log_ratio) / (L * S)
        zero = L == 0
        if zero.any():
            z = np.where(zero, log_ratio / S, z)
    return _out(z)


def z_score_l1(x, M, S):
    """The same for tables whose L is 1 throughout (length/height, head circumference): ``(x/M − 1) / S``."""
    x, M, S = (np.asarray(a, dtype=np.float64) for a in (x, M, S))
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out((x / M - 1.0) / S)


def value_at(z, L, M, S):
    """The measurement at ``z`` SD: ``M·(1 + L·S·z)^(1/L)``, or ``M·exp(S·z)`` where ``L == 0``."""
    z, L, M, S = (np.asarray(a, dtype=np.float64) for a in (z, L, M, S))
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = L == 0
        if not zero.any():
            return _out(M * np.power(1.0 + L * S * z, 1.0 / L))
        safe_L = np.where(zero, 1.0, L)
        return _out(np.where(zero, M * np.exp(S * z), M * np.power(1.0 + safe_L * S * z, 1.0 / safe_L)))


def restrict(z, x, L, M, S):
    """WHO's restricted z-score for the weight-based indicators, applied where ``|z| > 3``.

    Beyond ±3 SD the skewed LMS curves stretch the scale, so WHO measures the distance from the ±3 SD
    curve in units of the distance between the 2 and 3 SD curves on the same side:
    ``z* = ±3 + (x − SD3) / |SD3 − SD2|`` (the "SD23" rule). Only rows beyond ±3 SD are recomputed.
    """
    z = np.array(z, dtype=np.float64, copy=True)
    with np.errstate(invalid="ignore"):
        beyond = np.abs(z) > 3
    if not beyond.any():
        return _out(z)
    if z.ndim == 0:
        side = np.sign(z)
        sd3, sd2 = value_at(3.0 * side, L, M, S), value_at(2.0 * side, L, M, S)
        return float(3.0 * side + (x - sd3) / abs(sd3 - sd2))
    i = np.flatnonzero(beyond)
    x, L, M, S = (np.broadcast_to(np.asarray(a, dtype=np.float64), z.shape)[i] for a in (x, L, M, S))
    side = np.sign(z[i])
    sd3 = value_at(3.0 * side, L, M, S)
    sd2 = value_at(2.0 * side, L, M, S)
    z[i] = 3.0 * side + (x - sd3) / np.abs(sd3 - sd2)
    return z


def z_score_restricted(x, L, M, S):
    """``z_score`` then ``restrict``: the z WHO reports for weight-for-age, weight-for-length/height,
    BMI-for-age and arm circumference-for-age."""
    return restrict(z_score(x, L, M, S), x, L, M, S)
