"""The command line's glue: one module per command, each parsing options, calling one
function of :mod:`sufficiency.api` (or the store), printing and mapping errors to exit
codes through :mod:`.common`. Nothing below this package imports it."""
