#!/usr/bin/env node
"use strict";
// Node 22.1+ caches compiled code between runs: a free start-up win where available.
require("node:module").enableCompileCache?.();
require("../dist/cli/main.js").main(process.argv.slice(2));
