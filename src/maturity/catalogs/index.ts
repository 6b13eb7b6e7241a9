// The maturity frameworks that ship with mlgate: IML4E V2 (IML4E D4.4 §5.2) and the CMM-style framework
// of Akkiraju et al. (Appendix A). Organisations add their own in YAML; these are looked up by id.
import type { Framework } from "../framework.js";
import { IML4E_V2 } from "./iml4e-v2.js";
import { ML_CMM } from "./ml-cmm.js";

export { IML4E_V2, ML_CMM };

export const BUILTIN_FRAMEWORKS: readonly Framework[] = [IML4E_V2, ML_CMM];

/** The built-in framework with this id, if there is one. */
export function builtinFramework(id: string): Framework | undefined {
  return BUILTIN_FRAMEWORKS.find((framework) => framework.id === id);
}
