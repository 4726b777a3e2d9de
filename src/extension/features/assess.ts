import type { AccessVerdict } from '../../core/matcher/types';
import type { ProjectHost } from '../projectHost';
import type { Assess } from '../present';
import type { ExtensionState } from '../state';

/** The core's missing-index assessment for one folder's latest analysis (the hover, lens and Explain share it). */
export function assessorFor(state: ExtensionState, host: ProjectHost): Assess {
  const r = host.result;
  const project = host.project;
  if (!r || !project) return () => undefined;
  const engine = state.loadEngine();
  // The assessment reads no other verdict: the workspace's are not gathered for it (after every keystroke).
  const ctx = {
    schema: r.schema,
    get verdicts() {
      return r.verdicts;
    },
    options: project.config.matcher,
  };
  const cache = new Map<AccessVerdict, ReturnType<Assess>>();
  return (v) => {
    if (!cache.has(v)) cache.set(v, engine.assessMissingIndex(v, ctx));
    return cache.get(v);
  };
}
