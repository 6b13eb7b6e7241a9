// The version printed by `mlgate --version` and recorded in every report; set from package.json at build.
declare const __MLGATE_VERSION__: string | undefined;

export const VERSION: string = typeof __MLGATE_VERSION__ === "string" ? __MLGATE_VERSION__ : "0.0.0-dev";
