// Everything the Action writes on the runner (the log, workflow commands and annotations, step outputs, the
// job summary, its secret masks) goes through this module, the only one that imports @actions/core. Each
// text is scrubbed of every secret the process knows first: the runner masks the log, but not the summary,
// the outputs or what a later step publishes, and it knows nothing of a secret found in an odd encoding.
import * as core from "@actions/core";
import { Secrets, secretsInEnvironment } from "../src/secrets.js";

/** The secrets of this run: the token input, the runner's credentials, credential-named variables. */
export const secrets = new Secrets();

/** Learns the credentials of the environment the step runs in, and has the runner mask them in the log. */
export function learnSecrets(env: NodeJS.ProcessEnv): void {
  // Only what the scrubber keeps is masked: the runner would hide every `false` of TOKENIZERS_PARALLELISM.
  for (const value of secretsInEnvironment(env)) for (const kept of secrets.add(value)) maskInLog(kept);
}

type Properties = core.AnnotationProperties;

const scrubbed = (properties: Properties | undefined): Properties | undefined =>
  properties && { ...properties, ...(properties.title ? { title: secrets.scrub(properties.title) } : {}) };

export const log = {
  info: (text: string) => core.info(secrets.scrub(text)),
  debug: (text: string) => core.debug(secrets.scrub(text)),
  notice: (text: string, properties?: Properties) => core.notice(secrets.scrub(text), scrubbed(properties)),
  warning: (text: string, properties?: Properties) => core.warning(secrets.scrub(text), scrubbed(properties)),
  error: (text: string, properties?: Properties) => core.error(secrets.scrub(text), scrubbed(properties)),
  /** Fails the step with a message. */
  fail: (text: string) => core.setFailed(secrets.scrub(text)),
};

export function setOutput(name: string, value: string | number): void {
  core.setOutput(name, secrets.scrub(String(value)));
}

/** Appends Markdown to the job summary. */
export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(secrets.scrub(markdown)).write();
}

/** Each value is masked once: the runner needs one `::add-mask::` a value, however often it is read. */
const masked = new Set<string>();

/**
 * Masks a value in the log without treating it as a credential elsewhere: a confidential measurement's
 * value, already redacted from every rendering.
 */
export function maskInLog(value: string): void {
  if (masked.has(value)) return;
  masked.add(value);
  core.setSecret(value);
}

/** An input as the runner passed it (trimmed); "" when not set. */
export function input(name: string): string {
  return core.getInput(name);
}
