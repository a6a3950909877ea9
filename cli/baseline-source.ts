/**
 * Which baselines a run is compared with. `--baseline-ref <ref>` is strict (a missing ref is an
 * error); the configured `baselineBranch` is a preference: outside git, before the ref exists, or
 * before anything was committed there, the run falls back to the working tree and says so, because a
 * first run or a fresh clone must not fail on something the user has not set up yet.
 */
import { EngineError, type Baselines } from "./engine/types";

/** `--baseline-ref .` means the working tree; "." can never be a git ref name, so this is unambiguous. */
export const WORKTREE_REF = ".";

export interface BaselineChoice {
  readonly baselines: Baselines;
  readonly warnings: readonly string[];
}

export interface BaselineRequest {
  readonly root: string;
  /** From --baseline-ref. */
  readonly explicitRef?: string;
  /** From benchmarks.baselineBranch. */
  readonly configuredRef?: string;
}

type Loader = (root: string, opts?: { readonly ref?: string }) => Promise<Baselines>;

export async function chooseBaselines(request: BaselineRequest, load: Loader): Promise<BaselineChoice> {
  const { root, explicitRef, configuredRef } = request;
  if (explicitRef !== undefined) {
    if (explicitRef === WORKTREE_REF) return { baselines: await load(root), warnings: [] };
    return { baselines: await load(root, { ref: explicitRef }), warnings: [] };
  }
  if (configuredRef === undefined || configuredRef === "" || configuredRef === WORKTREE_REF) {
    return { baselines: await load(root), warnings: [] };
  }
  try {
    return { baselines: await load(root, { ref: configuredRef }), warnings: [] };
  } catch (error) {
    if (!(error instanceof EngineError) || (error.code !== "ref-missing" && error.code !== "baselines-missing")) throw error;
    const baselines = await load(root);
    const reason = error.message.replace(/[.\s]+$/, "");
    // With nothing in the working tree either, the engine's own "no baselines" warning says it all.
    const warnings = baselines.files.length > 0 ? [`compared with the baselines in the working tree, not ${configuredRef}: ${reason}`] : [];
    return { baselines, warnings };
  }
}
