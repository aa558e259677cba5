import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pulumiHome } from "../pulumi-home.js";
import { printable } from "../../text/printable.js";
import { Refusal } from "../refusal.js";

/**
 * The tables whose rows a resource can own: DefectDojo's (both link kinds share `jira_projects`),
 * and one Jira site's webhooks (`jira_webhooks <site URL>`: webhook ids are per site).
 */
export type OwnedTable = "jira_instances" | "jira_projects" | "system_settings" | `jira_webhooks ${string}`;

/**
 * Which resource of this deployment manages which DefectDojo object. One Pulumi deployment runs
 * every dynamic resource in one provider process, and the engine diffs (or creates) every resource
 * the program declares before it deletes the ones it no longer declares, so by the time a delete
 * runs, every object still declared has been claimed here.
 *
 * That closes the rename-without-`renamedFrom` hole: the new name adopts the object, and the old
 * name's delete then finds it claimed and leaves DefectDojo alone (only the state entry goes).
 * A replacement made before its original is deleted (`pulumi up --replace`, a new parent: the same
 * name, another URN) may adopt the very object the original holds; a create of this deployment
 * adopted that id, so the original's delete leaves it too. When the run stops between the two,
 * Pulumi deletes the original in the next run, after the diffs: the declared resource's diff, which
 * plans no replace, has marked the object kept (keep), so that delete leaves it as well. An engine
 * that diffs only changed resources (PULUMI_ENABLE_LEGACY_DIFF) breaks that premise: keeperOf then
 * refuses the deletes no claim vouches for, and refuseAdoptionIfOwned every adoption.
 */
export class Claims {
  /** By `<table>/<id>`: this process's claims, in the shape the journal's replay gives the deployment's. */
  private readonly claims = new Map<string, Claim>();

  /**
   * `journal`: shared with the deployment's other provider processes (the plugin runs one per
   * provider instance); `scope`: the DefectDojo these ids belong to.
   */
  constructor(
    private readonly journal?: ClaimsJournal,
    private readonly scope: () => string = () => "",
    private readonly diffsEveryDeclared: () => boolean = engineDiffsEveryDeclared,
  ) {}

  /** Records that `resource` manages the object; the first claimant keeps it. */
  claim(table: OwnedTable, id: number, resource: string): void {
    const key = `${table}/${id}`;
    if (this.claims.has(key)) return;
    this.claims.set(key, { owner: resource, adopted: false, kept: false });
    this.journal?.append({ scope: this.scope(), key, resource });
  }

  /** Records an existing object a create of this deployment took over (adoption); `identity`: what it saw of it. */
  adopted(table: OwnedTable, id: number, resource: string, identity?: string, place?: unknown): void {
    const key = `${table}/${id}`;
    this.takeOverIfLeft(key, resource);
    this.claim(table, id, resource);
    const claim = this.claims.get(key)!;
    claim.adopted = true;
    if (identity !== undefined) claim.identity = identity;
    if (place !== undefined) claim.place = place;
    this.journal?.append({ scope: this.scope(), key, resource, adopted: true, identity, place });
  }

  /**
   * Records that a declared resource goes on managing the object (its diff plans no replace). A
   * delete of the same id under another state entry then leaves it, even one of the same name: the
   * original a replacement adopted from, left pending by a run that stopped before its deletes.
   */
  keep(table: OwnedTable, id: number, resource: string, place?: unknown): void {
    const key = `${table}/${id}`;
    this.claim(table, id, resource);
    const claim = this.claims.get(key)!;
    if (claim.owner !== resource || claim.kept) return;
    claim.kept = true;
    if (place !== undefined) claim.place = place;
    this.journal?.append({ scope: this.scope(), key, resource, kept: true, place });
  }

  /** Who keeps the object when `resource` leaves the stack: another resource, its own replacement, or the declared resource of that name. */
  keeperOf(table: OwnedTable, id: number, resource: string): string | undefined {
    const key = `${table}/${id}`;
    const keeper = (claim: Claim | undefined) => (!claim || claim.leaving ? undefined : claim.owner !== resource ? claim.owner : claim.adopted ? `the replacement of ${resource}` : claim.kept ? resource : undefined);
    const found = keeper(this.claims.get(key)) ?? (this.journal ? keeper(this.journal.replay(this.scope()).get(key)) : undefined);
    if (found === undefined && !this.diffsEveryDeclared()) {
      throw new Refusal(`${resource}: not deleted (id ${id}) while ${LEGACY_DIFF_REASON}`);
    }
    return found;
  }

  /**
   * Beyond keeperOf: the objects of the same id in other tables of the family (`jira_webhooks` of
   * another site) that this deployment adopted or keeps, with what an adoption saw of them. One Jira
   * spelled two ways (`localhost`, `127.0.0.1`) is two tables; whether it is one object is for the
   * caller to tell (a webhook's `self`).
   */
  elsewhereInFamily(family: string, table: OwnedTable, id: number): Array<{ owner: string; identity?: string; place?: unknown }> {
    const found = new Map<string, { owner: string; identity?: string; place?: unknown }>();
    const elsewhere = (key: string) => key.startsWith(family) && key.endsWith(`/${id}`) && key !== `${table}/${id}`;
    for (const [key, claim] of [...this.claims, ...(this.journal?.replay(this.scope()) ?? [])]) {
      if (elsewhere(key) && (claim.adopted || claim.kept) && !found.has(key)) found.set(key, { owner: claim.owner, identity: claim.identity, place: claim.place });
    }
    return [...found.values()];
  }

  /**
   * For a resource the program still declares (its diff): claims the object, and refuses when another
   * declared resource took it over earlier in this deployment. Two documents that name one target in
   * two ways (a name and an id) are a contradiction the linter cannot see offline.
   */
  claimDeclared(table: OwnedTable, id: number, resource: string, what: string): void {
    this.takeOverIfLeft(`${table}/${id}`, resource);
    this.claim(table, id, resource);
    const owner = this.otherOwner(table, id, resource);
    if (owner !== undefined) {
      throw new Refusal(`${resource}: ${what} (id ${id}) is also managed by ${printable(owner)} in this stack; two documents name one DefectDojo object (perhaps once by name and once by id). Keep one of them`);
    }
  }

  /**
   * Records that a declared resource moves away from the object (its replace deletes it last). A
   * claim already there stays: another resource took it over first.
   */
  leaving(table: OwnedTable, id: number, resource: string): void {
    const key = `${table}/${id}`;
    if (this.claims.has(key)) return;
    this.claims.set(key, { owner: resource, adopted: false, kept: false, leaving: true });
    this.journal?.append({ scope: this.scope(), key, resource, leaving: true });
  }

  /** A left object goes to the resource that adopts or declares it. */
  private takeOverIfLeft(key: string, resource: string): void {
    const claim = this.claims.get(key) ?? this.journal?.replay(this.scope()).get(key);
    if (!claim?.leaving || claim.owner === resource) return;
    this.claims.delete(key);
    this.journal?.append({ scope: this.scope(), key, resource, takeOver: true });
  }

  /** The resource other than `resource` that manages the object, if any. */
  otherOwner(table: OwnedTable, id: number, resource: string): string | undefined {
    const owner = this.claims.get(`${table}/${id}`)?.owner;
    return owner !== undefined && owner !== resource ? owner : undefined;
  }

  /**
   * Adoption never takes over an object that another resource of the stack manages. Without a diff
   * of every declared resource (PULUMI_ENABLE_LEGACY_DIFF) an unchanged owner has claimed nothing,
   * so no adoption is safe.
   */
  refuseAdoptionIfOwned(table: OwnedTable, id: number, resource: string, what: string): void {
    const key = `${table}/${id}`;
    // Another resource that manages it; one that leaves it (a move) gives it up.
    const managedBy = (claim: Claim | undefined) => (claim && !claim.leaving && claim.owner !== resource ? claim.owner : undefined);
    const owner = managedBy(this.claims.get(key)) ?? managedBy(this.journal?.replay(this.scope()).get(key));
    if (owner !== undefined) {
      throw new Refusal(`${resource}: ${what} (id ${id}) is already managed by ${printable(owner)} in this stack; one DefectDojo object, one resource. If this is a rename, list the old name in metadata.renamedFrom`);
    }
    if (!this.diffsEveryDeclared()) {
      throw new Refusal(`${resource}: ${what} (id ${id}) not adopted while ${LEGACY_DIFF_REASON}`);
    }
  }

  /** Forgets a deleted object, so that a later create may claim the id again. */
  release(table: OwnedTable, id: number): void {
    this.claims.delete(`${table}/${id}`);
    this.journal?.append({ scope: this.scope(), key: `${table}/${id}`, released: true });
  }
}

const LEGACY_DIFF_REASON =
  "PULUMI_ENABLE_LEGACY_DIFF is set: the engine then skips the diff of every resource whose inputs did not change, and that diff is how this provider learns which DefectDojo objects the stack's declared resources manage. Unset PULUMI_ENABLE_LEGACY_DIFF and run again";

/**
 * Whether the engine diffs every resource the program declares, which `keep` and adoption rely on. With
 * PULUMI_ENABLE_LEGACY_DIFF (read as Pulumi reads it: "1" or "true") it diffs only those whose inputs changed.
 * The plugin runs in the engine's environment, so it sees what the engine sees.
 */
export function engineDiffsEveryDeclared(): boolean {
  return !/^(1|true)$/i.test(process.env.PULUMI_ENABLE_LEGACY_DIFF ?? "");
}

interface JournalRecord {
  scope: string;
  key: string;
  resource?: string;
  adopted?: boolean;
  kept?: boolean;
  identity?: string;
  place?: unknown;
  released?: boolean;
  leaving?: boolean;
  /** The object was left (leaving) and `resource` takes it over. */
  takeOver?: boolean;
}

/** Who manages one object, and how it came to. */
interface Claim {
  owner: string;
  /** A create of this deployment took the existing object over. */
  adopted: boolean;
  /** A declared resource goes on managing it (its diff planned no replace). */
  kept: boolean;
  /** What an adoption saw of the object (a Jira webhook's `self`), to tell one object from another of the same id. */
  identity?: string;
  /** Where a kept or adopted object can be asked for again (a Jira webhook's site: URL, user and secret *reference*). */
  place?: unknown;
  /**
   * Its resource moves away from it (a replace, made first, deletes it with the deletes): no one
   * else may adopt it while unclaimed, it keeps nothing from its own delete, and a resource that
   * adopts or declares it takes it over.
   */
  leaving?: boolean;
}

/** Journals older than this belong to deployments long over. */
const JOURNAL_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The claims of one deployment, shared by its provider processes through an append-only file. The
 * provider plugin runs one process per provider instance, so a resource renamed from an explicit
 * provider to the default one (with `adopt`) is claimed in one process and deleted in another; the
 * engine runs every create and diff before the deletes, so by then the claim is in the file. The
 * dynamic provider's host keeps a journal too: in the run that moves a stack from the dynamic
 * provider to the plugin, the host deletes what left the config while the plugin declares the rest.
 *
 * A deployment is the engine's gRPC address together with the engine's process (engineRun): every
 * provider process of one `pulumi` run finds the same, whatever launchers (a shell, a node version
 * manager's proxy, a renamed binary) sit between it and the engine, and a later run that gets the
 * same port is another process, or the same one much later (journals of a day and older go). The folder is the user's own (JOURNAL_FOLDERS), checked to be a
 * directory only this user can write, and the file is never followed through a symbolic link: a
 * line from anyone else could release a claim.
 * The file holds names and ids, never a secret.
 */
export class ClaimsJournal {
  private constructor(readonly path: string) {}

  static forDeployment(engineAddress: string | undefined, run = engineAddress ? engineRun(engineAddress) : ""): ClaimsJournal | undefined {
    if (!engineAddress) return undefined;
    const directory = JOURNAL_FOLDERS().find(usableFolder);
    if (!directory) return undefined; // no shared journal: each process still keeps its own claims
    const id = createHash("sha256").update(`${engineAddress}\u0000${run}`).digest("hex").slice(0, 32);
    return new ClaimsJournal(join(directory, `${id}.jsonl`));
  }

  append(record: JournalRecord): void {
    try {
      const file = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
      try {
        writeSync(file, `${JSON.stringify(record)}\n`);
      } finally {
        closeSync(file);
      }
    } catch {
      // A full or read-only folder costs the cross-process view, not the deployment.
    }
  }

  /** Each object's owner in `scope`, as the journal's lines leave it: the first claimant, until released. */
  replay(scope: string): Map<string, Claim> {
    const owners = new Map<string, Claim>();
    let text = "";
    try {
      const file = openSync(this.path, constants.O_RDONLY | NOFOLLOW);
      try {
        text = readFileSync(file, "utf8");
      } finally {
        closeSync(file);
      }
    } catch {
      return owners;
    }
    for (const line of text.split("\n")) {
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        continue;
      }
      if (record.scope !== scope) continue;
      if (record.released) owners.delete(record.key);
      else if (record.resource !== undefined) {
        if (record.takeOver && owners.get(record.key)?.leaving) owners.delete(record.key);
        const known = owners.get(record.key);
        if (!known) owners.set(record.key, { owner: record.resource, adopted: Boolean(record.adopted), kept: Boolean(record.kept), identity: record.identity, place: record.place, ...(record.leaving ? { leaving: true } : {}) });
        else if (known.owner === record.resource) {
          if (record.adopted) known.adopted = true;
          if (record.kept) known.kept = true;
          known.identity ??= record.identity;
          known.place ??= record.place;
        }
      }
    }
    return owners;
  }
}

/** The engine's address among a plugin's arguments, read as the SDK's provider `main` reads it (provider/internals.js). */
export function engineAddress(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--tracing") i++;
    else if (args[i] !== "--logtostderr" && !args[i]!.startsWith("-v=")) return args[i];
  }
  return undefined;
}

/** Where journals go: Pulumi's home (which the engine passes to every plugin), else the temp folder. */
const JOURNAL_FOLDERS = () => [join(pulumiHome(), "dojo-jira-claims"), join(tmpdir(), `dojo-jira-claims-${process.getuid?.() ?? "user"}`)];

/** Makes the folder if need be, and takes it only when it is this user's alone; journals of deployments long over go. */
function usableFolder(directory: string): boolean {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!ownPrivateDirectory(directory)) return false;
    for (const file of readdirSync(directory)) {
      // Another process of the run may sweep the same file at the same moment: its going is no reason to give up the folder.
      try {
        const path = join(directory, file);
        if (Date.now() - lstatSync(path).mtimeMs > JOURNAL_MAX_AGE_MS) rmSync(path, { force: true });
      } catch {
        // gone already
      }
    }
    return true;
  } catch {
    return false;
  }
}

/** O_NOFOLLOW where the platform has it. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A directory of this user's that no one else can write into (not a symbolic link). */
function ownPrivateDirectory(path: string): boolean {
  const stat = lstatSync(path);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

/**
 * What marks one run of the engine listening at `address`: the process that holds that very
 * listening socket (Linux: its inode in /proc/net/tcp, then the ancestor whose descriptors include
 * it), else the nearest `pulumi` above (enginePid). Found by ownership, not by what else listens:
 * another user's socket on the same port at another address, opened or closed while the processes
 * of one run look, must not give them two journals.
 */
export function engineRun(address: string): string {
  const inode = listeningInode(address);
  const owner = inode === undefined ? undefined : ancestorHolding(`socket:[${inode}]`);
  return `pid ${owner ?? enginePid()}`;
}

/** The inode of the IPv4 socket listening at exactly `host:port` (a dotted-quad host), if /proc says. */
function listeningInode(address: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/.exec(address);
  if (!match) return undefined;
  const hex = (value: number, width: number) => value.toString(16).toUpperCase().padStart(width, "0");
  // /proc/net/tcp writes the address as the kernel holds it: the four bytes in host order (little-endian here).
  const local = `${[4, 3, 2, 1].map((i) => hex(Number(match[i]), 2)).join("")}:${hex(Number(match[5]), 4)}`;
  let text: string;
  try {
    text = readFileSync("/proc/net/tcp", "utf8");
  } catch {
    return undefined;
  }
  // "sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode": 0A is LISTEN.
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[3] === "0A" && fields[9] !== undefined && fields[9] !== "0") return fields[9];
  }
  return undefined;
}

/** The nearest ancestor with an open descriptor to `target` (`socket:[<inode>]`). */
function ancestorHolding(target: string): number | undefined {
  for (const { pid } of ancestors()) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkOrEmpty(`/proc/${pid}/fd/${fd}`) === target)) return pid;
    } catch {
      // not ours to read, or gone: look further up
    }
  }
  return undefined;
}

/**
 * The engine's process id where no socket table says more (engineRun): the nearest ancestor that is
 * `pulumi` itself, since launchers that do not `exec` may sit between (@pulumi/pulumi's own
 * `pulumi-resource-pulumi-nodejs` is a shell script; a node version manager's `node` is a proxy).
 * Where no `pulumi` is found, the parent.
 */
export function enginePid(start = process.ppid): number {
  for (const { info, pid } of ancestors(start)) if (info?.programs.some((program) => /^\.?pulumi(?:-wrapped)?(?:\.exe)?$/.test(program))) return pid;
  return start;
}

/** How far up the process tree the engine may be: launchers (a shell, a node version manager's proxy) sit between it and a plugin's node. */
const MAX_HOPS = 8;

/** This process's ancestors from `start` (its parent) up, nearest first, at most MAX_HOPS of them, with what is known of each. */
function* ancestors(start = process.ppid): Generator<{ pid: number; info: ProcessInfo | undefined }> {
  let pid = start;
  for (let hop = 0; hop < MAX_HOPS && pid >= 1; hop++) {
    const info = processInfo(pid);
    yield { pid, info };
    if (!info || !Number.isInteger(info.parent) || info.parent < 1 || pid === 1) return;
    pid = info.parent;
  }
}

interface ProcessInfo {
  parent: number;
  programs: string[];
}

/** A process's parent and the names it runs under: its executable and its argv[0] (a script's comm is the script's name). */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    // /proc/<pid>/stat: "<pid> (<comm>) <state> <ppid> …"; the comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return { parent, programs: [basename(readlinkOrEmpty(`/proc/${pid}/exe`)), basename(argv0)] };
  } catch {
    try {
      const [ppid, ...command] = execFileSync("ps", ["-o", "ppid=,comm=", "-p", String(pid)], { encoding: "utf8", timeout: 2000, stdio: ["ignore", "pipe", "ignore"] }).trim().split(/\s+/);
      return { parent: Number(ppid), programs: [basename(command.join(" "))] };
    } catch {
      return undefined;
    }
  }
}

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
