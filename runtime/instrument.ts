import { isAsyncFunction, isGeneratorFunction } from "node:util/types";
import type { ContractImpl } from "./contract";

/** The widest callable: decorated methods and wrapped functions are handed through untyped. */
export type Callable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Called before a call until it returns true; runtime decorators use it to learn the class name from
 * `this`, which standard decorators only see at call time.
 */
export type TargetResolver = (thisArg: unknown, wrapper: Callable) => boolean;

/**
 * The runtime fallback probe: a function that measures `fn` from the outside, with the same `this`,
 * arguments, return value, exception, `name` and `length`.
 * - async functions: awaited inside an async wrapper, so the promise the caller gets is the one whose
 *   rejection goes unhandled if they drop it (as before), and `throw` mode can reject it after the body
 *   finished, as the inlined probe does;
 * - other functions: a returned native promise is observed with `settle()` and returned unchanged;
 * - when the call throws, its exception wins: a violation measured on the way out is recorded and, in
 *   `throw` mode, warned instead of replacing the caller's error.
 */
export function instrument(contract: ContractImpl, fn: Callable, name: string, resolveTarget?: TargetResolver): Callable {
  if (isGeneratorFunction(fn)) {
    throw new TypeError(
      `@choragen/perf: ${name} is a generator function; a call only creates the generator, so there is nothing to time`,
    );
  }
  let pending = resolveTarget;
  let wrapper: Callable;
  if (isAsyncFunction(fn)) {
    wrapper = {
      async wrapper(this: unknown, ...args: unknown[]): Promise<unknown> {
        if (pending !== undefined && pending(this, wrapper)) pending = undefined;
        const start = contract.read();
        let result: unknown;
        try {
          result = await Reflect.apply(fn, this, args);
        } catch (error) {
          contract.finish(start, true, false);
          throw error;
        }
        contract.finish(start, true, true, wrapper);
        return result;
      },
    }.wrapper;
  } else if (Object.prototype.hasOwnProperty.call(fn, "prototype")) {
    // A plain `function` can be called with `new`: keep that working, with the original prototype.
    wrapper = function (this: unknown, ...args: unknown[]): unknown {
      if (pending !== undefined && pending(this, wrapper)) pending = undefined;
      const start = contract.read();
      let result: unknown;
      try {
        result = new.target === undefined
          ? Reflect.apply(fn, this, args)
          : Reflect.construct(fn as unknown as new (...args: unknown[]) => unknown, args, new.target);
      } catch (error) {
        contract.finish(start, false, false);
        throw error;
      }
      return contract.settle(result, start, wrapper);
    };
    wrapper.prototype = (fn as { prototype?: unknown }).prototype;
  } else {
    // Methods and arrows are not constructors; a method-shorthand wrapper is not one either.
    wrapper = {
      wrapper(this: unknown, ...args: unknown[]): unknown {
        if (pending !== undefined && pending(this, wrapper)) pending = undefined;
        const start = contract.read();
        let result: unknown;
        try {
          result = Reflect.apply(fn, this, args);
        } catch (error) {
          contract.finish(start, false, false);
          throw error;
        }
        return contract.settle(result, start, wrapper);
      },
    }.wrapper;
  }
  Object.defineProperty(wrapper, "name", { value: name, configurable: true });
  Object.defineProperty(wrapper, "length", { value: fn.length, configurable: true });
  return wrapper;
}
