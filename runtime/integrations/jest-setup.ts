/**
 * Jest `setupFilesAfterEnv` entry: `setupFilesAfterEnv: ["@choragen/perf/jest-setup"]`. After each test
 * file, the sandbox's statistics are written at once: Jest runs each file in a sandbox whose `process`
 * never sees `exit`, and may end its workers before a scheduled write. Without it, the preload that
 * `choragen perf` installs and the journal's own writes (runtime/journal.ts) still deliver every
 * violation; this makes the last call counts and percentile samples exact too.
 */
import { flushRealm } from "./flush";

declare const afterAll: (fn: () => void) => void;

afterAll(flushRealm);
