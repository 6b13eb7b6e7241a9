// What the CLI needs from its process, passed in so tests drive `main` with real files and a real clock.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof globalThis.fetch;
  now(): Date;
  /** Colour output is used only on a terminal without NO_COLOR. */
  color: boolean;
}

export const EXIT = { conformant: 0, nonConformant: 1, usage: 2 } as const;
