/**
 * Vitest `setupFiles` entry: `setupFiles: ["@choragen/perf/vitest-setup"]`. After each test file, the
 * worker's statistics are written at once, so a thread ended with `terminate()` right after its last
 * test (Vitest's threads pools) has delivered everything. Without it, they are written within
 * 25 ms of the last call (runtime/journal.ts). Loads nothing when the file never used the runtime.
 */
import { afterAll } from "vitest";
import { flushRealm } from "./flush.js";

afterAll(flushRealm);
