"""The mark a cell stream's cutter leaves on a row whose cells cannot be matched to columns."""

UNPLACEABLE = "\u0001"
