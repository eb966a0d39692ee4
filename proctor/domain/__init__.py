"""Pure data and rules of an exam room: no I/O, no clock of its own (time is passed in)."""
