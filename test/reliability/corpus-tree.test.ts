import { corpusThrough } from "./corpus-checker-free";
import { treeDualCompile } from "./tree-compile";

// The corpus through the ts-jest host: the core's decisions applied to the compiler's own nodes by the tree emitter.
corpusThrough("the ts-jest tree emitter", treeDualCompile);
