import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { resolveBudget, runtimeContract, where, type Budget } from "./budget";
import { callerLocation, type SourceLocation } from "./callsite";
import { instrument, type Callable } from "./instrument";
import { keepMetadata } from "./metadata";
import { state } from "./state";
import type { ContractKind, LatencyOptions, MemoryOptions } from "./types";

/**
 * A performance annotation used as a real decorator. It type-checks in both decorator dialects:
 * TypeScript's standard decorators (`(value, context)`) on methods, getters and setters, and
 * `experimentalDecorators` (`(target, key, descriptor)`) on methods and accessors. Fields, classes and
 * auto-accessors match no signature, so decorating them is a type error.
 */
export interface PerfDecorator {
  // The method's own type is kept whole, so generic methods keep their type parameters; the constraint is
  // the one lib.decorators.d.ts puts on ClassMethodDecoratorContext, `any` included.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  <This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): Value;
  <This, Value>(value: (this: This) => Value, context: ClassGetterDecoratorContext<This, Value>): (this: This) => Value;
  <This, Value>(
    value: (this: This, value: Value) => void,
    context: ClassSetterDecoratorContext<This, Value>,
  ): (this: This, value: Value) => void;
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
}

export interface LatencyAnnotation {
  /** A decorator; without options it takes the configured default (200 ms unless `perf.configure`d). */
  (options?: LatencyOptions): PerfDecorator;
  /** Wraps a function: same `this`, arguments, result, exceptions, `name` and `length`. */
  <F extends (...args: never[]) => unknown>(options: LatencyOptions, fn: F): F;
}

export interface MemoryAnnotation {
  /** A decorator; without options it takes the configured default (50 MB unless `perf.configure`d). */
  (options?: MemoryOptions): PerfDecorator;
  /** Wraps a function: same `this`, arguments, result, exceptions, `name` and `length`. */
  <F extends (...args: never[]) => unknown>(options: MemoryOptions, fn: F): F;
}

type DecoratorContext = ClassMemberDecoratorContext | ClassDecoratorContext;

function isDecoratorContext(value: unknown): value is DecoratorContext {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string" &&
    "name" in value;
}

function memberLabel(key: string | symbol): string {
  return typeof key === "symbol" ? `[${key.description ?? ""}]` : key;
}

/** `get ` / `set ` before an accessor's name, as the transformer writes targets (`Cart.get total`). */
function accessorPrefix(kind: "method" | "getter" | "setter"): string {
  return kind === "getter" ? "get " : kind === "setter" ? "set " : "";
}

/** The class's name; `(anonymous class)` as the transformer says for a class expression bound to no name. */
function nameOf(owner: unknown): string {
  const name = typeof owner === "function" ? (owner as { name?: unknown }).name : undefined;
  return typeof name === "string" && name !== "" ? name : "(anonymous class)";
}

/**
 * The class that declares a decorated member, seen from a call: the object on `this`'s prototype chain
 * whose own property holds our wrapper (so a subclass calling an inherited method still names the base
 * class); for `#private` members, which have no property, the class of `this`.
 */
function declaringClass(thisArg: unknown, key: string | symbol | undefined, wrapper: Callable, isStatic: boolean): string | undefined {
  if ((typeof thisArg !== "object" && typeof thisArg !== "function") || thisArg === null) return undefined;
  if (key !== undefined) {
    for (let o: object | null = thisArg; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d !== undefined && (d.value === wrapper || d.get === wrapper || d.set === wrapper)) {
        return nameOf(isStatic ? o : (o as { constructor?: unknown }).constructor);
      }
    }
  }
  return nameOf(isStatic ? thisArg : (thisArg as { constructor?: unknown }).constructor);
}

function misuse(api: string, what: string, site: SourceLocation): TypeError {
  return new TypeError(`${api}${where(site)} cannot decorate ${what}: only methods and get/set accessors carry a performance contract`);
}

function decorator(api: string, budget: Budget, site: SourceLocation): PerfDecorator {
  function decorate(value: unknown, contextOrKey?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (isDecoratorContext(contextOrKey)) {
      const context = contextOrKey;
      const label = `${context.kind} ${typeof context.name === "string" || typeof context.name === "symbol" ? memberLabel(context.name) : ""}`;
      if (context.kind !== "method" && context.kind !== "getter" && context.kind !== "setter") {
        throw misuse(api, context.kind === "class" ? "a class" : `the ${label.trim()}`, site);
      }
      if (typeof value !== "function") throw misuse(api, `the ${label}`, site);
      // Named as the transformer names them: `Class.method`, `Class.#secret`, `Class.get total`, `Class.set total`.
      const member = `${accessorPrefix(context.kind)}${memberLabel(context.name)}`;
      const contract = runtimeContract(budget, member, site, "decorator");
      const key = context.private ? undefined : context.name;
      const wrapped = instrument(contract, value as Callable, (value as { name: string }).name, (thisArg, wrapper) => {
        const owner = declaringClass(thisArg, key, wrapper, context.static);
        if (owner === undefined) return false; // called without a `this`: try again next call
        contract.target = `${owner}.${member}`;
        return true;
      });
      keepMetadata(value, wrapped);
      return wrapped;
    }
    if (typeof contextOrKey === "string" || typeof contextOrKey === "symbol") {
      const member = memberLabel(contextOrKey);
      if (descriptor === undefined) throw misuse(api, `the field ${member}`, site);
      const owner = nameOf(typeof value === "function" ? value : (value as { constructor?: unknown } | null)?.constructor);
      const wrap = (fn: unknown, kind: "method" | "getter" | "setter"): Callable | undefined => {
        if (typeof fn !== "function") return undefined;
        const contract = runtimeContract(budget, `${owner}.${accessorPrefix(kind)}${member}`, site, "decorator");
        const wrapped = instrument(contract, fn as Callable, (fn as { name: string }).name);
        keepMetadata(fn, wrapped);
        return wrapped;
      };
      if (typeof descriptor.value === "function") return { ...descriptor, value: wrap(descriptor.value, "method") };
      // experimentalDecorators decorate an accessor pair as one property: both halves are measured, each
      // under its own target (`Class.get total`, `Class.set total`), as the transformer names them.
      if (descriptor.get !== undefined || descriptor.set !== undefined) {
        return { ...descriptor, get: wrap(descriptor.get, "getter"), set: wrap(descriptor.set, "setter") };
      }
      throw misuse(api, `the field ${member}`, site);
    }
    throw misuse(api, typeof value === "function" ? "a class" : String(value), site);
  }
  return decorate as PerfDecorator;
}

const sourceLines = new Map<string, readonly string[]>();

/**
 * Best-effort name for a wrapped anonymous function: the variable it is assigned to on the call's line
 * (`const parse = perf.latency(...)`, `exports.parse = perf_1.perf.latency(...)`).
 */
function assignedName(site: SourceLocation): string | undefined {
  if (!site.file || site.line <= 0) return undefined;
  const path = isAbsolute(site.file) ? site.file : resolve(site.file);
  let lines = sourceLines.get(path);
  if (lines === undefined) {
    try {
      lines = readFileSync(path, "utf8").split("\n");
    } catch {
      lines = [];
    }
    sourceLines.set(path, lines);
  }
  const text = lines[site.line - 1];
  if (text === undefined) return undefined;
  const match = /([A-Za-z_$][\w$]*)\s*=\s*(?:\(0,\s*)?[\w$.]*\b(?:latency|memory)\b/.exec(text);
  return match?.[1];
}

function annotation(kind: ContractKind): (options?: unknown, fn?: unknown) => unknown {
  const api = `perf.${kind}`;
  const annotate = (options?: unknown, fn?: unknown): unknown => {
    const site = callerLocation(annotate);
    if (typeof options === "function" || typeof fn === "string" || typeof fn === "symbol" || isDecoratorContext(fn)) {
      throw new TypeError(`@${api}${where(site)}: call it, with parentheses: @${api}() or @${api}({ max, unit })`);
    }
    if (fn === undefined) {
      return decorator(`@${api}()`, resolveBudget(`@${api}()`, kind, options, state.defaults[kind], site), site);
    }
    if (typeof fn !== "function") throw new TypeError(`${api}(options, fn)${where(site)}: fn must be a function, got ${typeof fn}`);
    const budget = resolveBudget(`${api}(options, fn)`, kind, options, undefined, site);
    const fnName = (fn as { name?: unknown }).name;
    const name = budget.name ?? (typeof fnName === "string" && fnName !== "" ? fnName : undefined);
    const target = name ?? assignedName(site) ?? "<anonymous>";
    return instrument(runtimeContract(budget, target, site, "wrapper"), fn as Callable, name ?? "");
  };
  return annotate;
}

export const latency = annotation("latency") as LatencyAnnotation;
export const memory = annotation("memory") as MemoryAnnotation;
