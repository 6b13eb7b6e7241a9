// Entry point of the Action bundle: one call.
import { run } from "./main.js";

await run();
