// A fresh PGlite data directory for each App process a test starts. Creating a PGlite database takes
// seconds; a migrated one is made once per test process and copied, which takes milliseconds.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../../app/store/db.js";

let template: Promise<string> | undefined;

export async function freshDataDir(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-pglite-template-"));
    const db = await openDb({ dataDir: dir });
    await db.close();
    return dir;
  })();
  const source = await template;
  const target = mkdtempSync(join(tmpdir(), "mlgate-app-"));
  cpSync(source, target, { recursive: true });
  return target;
}
