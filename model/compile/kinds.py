"""Node kinds of a compiled tree (their own module so that every part of compile can read them)."""

DECISION, CHANCE, TERMINAL = 0, 1, 2
KIND_NAMES = ("decision", "chance", "terminal")
