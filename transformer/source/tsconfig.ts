import * as path from "node:path";
import type * as ts from "typescript";
import type { TypeScriptApi } from "./parser";

/**
 * Whether a file compiles under `experimentalDecorators`, as the bundlers see it: esbuild, Vite (oxc) and the
 * webpack loaders read the nearest tsconfig.json above the file (with its `extends`). The source core needs it for
 * one thing, TS91014 (where experimentalDecorators reject a decorator), and asks only for an annotation in such a
 * place, so a build pays for it at most once per tsconfig, usually never.
 */
export class TsconfigDecorators {
  /** Per directory of a file asked about: the nearest tsconfig.json, or null when there is none. */
  private readonly configOf = new Map<string, string | null>();
  private readonly experimental = new Map<string, boolean>();

  constructor(private readonly tsi: TypeScriptApi) {}

  experimentalDecorators(fileName: string): boolean {
    const dir = path.dirname(fileName);
    let config = this.configOf.get(dir);
    if (config === undefined) {
      config = this.tsi.findConfigFile(dir, (f) => this.tsi.sys.fileExists(f)) ?? null;
      this.configOf.set(dir, config);
    }
    if (config === null) return false;
    let experimental = this.experimental.get(config);
    if (experimental === undefined) {
      experimental = this.read(config).experimentalDecorators === true;
      this.experimental.set(config, experimental);
    }
    return experimental;
  }

  /**
   * The compiler options, `extends` followed by TypeScript itself. The file list is not wanted: a host that lists no
   * directories keeps TypeScript from walking the project for `include`. A tsconfig TypeScript cannot read gives no
   * options here; the bundler reading it says what is wrong with it.
   */
  private read(config: string): ts.CompilerOptions {
    const tsi = this.tsi;
    const json = tsi.readConfigFile(config, (f) => tsi.sys.readFile(f));
    if (json.error !== undefined) return {};
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: tsi.sys.useCaseSensitiveFileNames,
      readDirectory: () => [],
      fileExists: (f) => tsi.sys.fileExists(f),
      readFile: (f) => tsi.sys.readFile(f),
    };
    return tsi.parseJsonConfigFileContent(json.config, host, path.dirname(config), undefined, config).options;
  }
}
