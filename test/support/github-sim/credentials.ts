// Tokens and GitHub App installations: who a token is, which repositories it may see (an installation
// token sees its installation's account, all repositories or the selected ones) and minting
// installation access tokens. Installations select repositories, not names, so renames keep them.
import { randomBytes } from "node:crypto";
import type { Identity, Installation, Permission, RepoRecord, UserRecord } from "./records.js";

interface TokenRecord {
  identity: Identity;
  expiresAt: number | undefined;
}

/** Whether an installation covers a repository: its account's, and all of them or one of the selected. */
export function installationCovers(installation: Installation, repo: RepoRecord): boolean {
  if (!installation.account) return true;
  if (repo.owner.login.toLowerCase() !== installation.account.login.toLowerCase()) return false;
  return installation.repositories === "all" || installation.repositories.has(repo.fullName.toLowerCase());
}

export class Credentials {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly installations = new Map<number, Installation>();

  constructor(private readonly now: () => Date) {}

  addToken(token: string, identity: Identity, expiresAt?: number): void {
    this.tokens.set(token, { identity: { ...identity }, expiresAt });
  }

  identity(token: string): Identity | undefined {
    const record = this.tokens.get(token);
    if (!record || (record.expiresAt !== undefined && record.expiresAt <= this.now().getTime()))
      return undefined;
    // Uninstalling the App revokes its installation tokens.
    const installationId = record.identity.installationId;
    if (installationId !== undefined && !this.installations.has(installationId)) return undefined;
    return record.identity;
  }

  addInstallation(installation: Installation): void {
    if (this.installations.has(installation.id))
      throw new Error(`GitHub simulator: installation ${installation.id} already exists`);
    this.installations.set(installation.id, installation);
  }

  installation(id: number): Installation | undefined {
    return this.installations.get(id);
  }

  /** Uninstalls the App: the installation's tokens stop working. */
  removeInstallation(id: number): boolean {
    return this.installations.delete(id);
  }

  /** The installation of an App that covers a repository or an account, as GitHub finds one. */
  findInstallation(appId: number, covers: (installation: Installation) => boolean): Installation | undefined {
    return [...this.installations.values()].find(
      (installation) => installation.appId === appId && covers(installation),
    );
  }

  appSlug(appId: number): string | undefined {
    return [...this.installations.values()].find((installation) => installation.appId === appId)?.appSlug;
  }

  countInstallations(appId: number): number {
    return [...this.installations.values()].filter((installation) => installation.appId === appId).length;
  }

  /** Whether a caller may see a repository: installation tokens see only their installation's. */
  canSee(identity: Identity, repo: RepoRecord): boolean {
    if (identity.repositoryIds && !identity.repositoryIds.includes(repo.id)) return false;
    if (identity.installationId === undefined) return true;
    const installation = this.installations.get(identity.installationId);
    return installation !== undefined && installationCovers(installation, repo);
  }

  /** A new installation access token for the App's bot, valid for an hour as on GitHub. */
  createInstallationToken(
    installation: Installation,
    bot: UserRecord,
    permissions: Permission,
    repositoryIds?: number[],
  ): { token: string; expiresAt: Date } {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = new Date(this.now().getTime() + 60 * 60 * 1000);
    const identity: Identity = {
      login: bot.login,
      type: "Bot",
      permissions,
      appSlug: installation.appSlug,
      appId: installation.appId,
      installationId: installation.id,
    };
    if (repositoryIds) identity.repositoryIds = repositoryIds;
    this.addToken(token, identity, expiresAt.getTime());
    return { token, expiresAt };
  }

  repoRenamed(oldFullName: string, newFullName: string): void {
    for (const installation of this.installations.values()) {
      if (installation.repositories !== "all" && installation.repositories.delete(oldFullName.toLowerCase()))
        installation.repositories.add(newFullName.toLowerCase());
    }
  }

  repoDeleted(fullName: string): void {
    for (const installation of this.installations.values()) {
      if (installation.repositories !== "all") installation.repositories.delete(fullName.toLowerCase());
    }
  }
}
