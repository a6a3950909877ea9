import { corpusThrough } from "./corpus-checker-free";
import { sourceDualCompile } from "./source-compile";

// The corpus through the source-level core, the transform the bundler hosts run (the text edits, then plain TypeScript).
corpusThrough("the source core", sourceDualCompile);
