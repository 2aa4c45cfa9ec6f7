"""One module per subcommand: `register(subparsers)` adds it, `run(args)` does it."""
