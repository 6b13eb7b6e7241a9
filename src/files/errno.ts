// The `code` of a Node system error (ENOENT, EACCES, ...), which is what we tell users about.

export function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}
