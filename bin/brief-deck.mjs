#!/usr/bin/env node
// The `brief-deck` command of the installed package: the compiled command line (lib/,
// made by `npm run compile` when the package is packed). In this repository the npm
// scripts run the same command from source (scripts/run.mjs).
import '../lib/brief-deck.mjs'
