import { printable } from "../../text/printable.js";
import { Refusal } from "../refusal.js";

/** The DefectDojo tables whose rows a resource can own; both link kinds share `jira_projects`. */
export type OwnedTable = "jira_instances" | "jira_projects" | "system_settings";

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
 * adopted that id, so the original's delete leaves it too.
 */
export class Claims {
  private readonly owners = new Map<string, string>();
  private readonly adoptedHere = new Set<string>();

  /** Records that `resource` manages the object; the first claimant keeps it. */
  claim(table: OwnedTable, id: number, resource: string): void {
    const key = `${table}/${id}`;
    if (!this.owners.has(key)) this.owners.set(key, resource);
  }

  /** Records an existing object a create of this deployment took over (adoption). */
  adopted(table: OwnedTable, id: number, resource: string): void {
    this.claim(table, id, resource);
    this.adoptedHere.add(`${table}/${id}`);
  }

  /** Who keeps the object when `resource` leaves the stack: another resource, or its own replacement. */
  keeperOf(table: OwnedTable, id: number, resource: string): string | undefined {
    return this.otherOwner(table, id, resource) ?? (this.adoptedHere.has(`${table}/${id}`) ? `the replacement of ${resource}` : undefined);
  }

  /**
   * For a resource the program still declares (its diff): claims the object, and refuses when another
   * declared resource took it over earlier in this deployment. Two documents that name one target in
   * two ways (a name and an id) are a contradiction the linter cannot see offline.
   */
  claimDeclared(table: OwnedTable, id: number, resource: string, what: string): void {
    this.claim(table, id, resource);
    const owner = this.otherOwner(table, id, resource);
    if (owner !== undefined) {
      throw new Refusal(`${resource}: ${what} (id ${id}) is also managed by ${printable(owner)} in this stack; two documents name one DefectDojo object (perhaps once by name and once by id). Keep one of them`);
    }
  }

  /** The resource other than `resource` that manages the object, if any. */
  otherOwner(table: OwnedTable, id: number, resource: string): string | undefined {
    const owner = this.owners.get(`${table}/${id}`);
    return owner !== undefined && owner !== resource ? owner : undefined;
  }

  /** Adoption never takes over an object that another resource of the stack manages. */
  refuseAdoptionIfOwned(table: OwnedTable, id: number, resource: string, what: string): void {
    const owner = this.otherOwner(table, id, resource);
    if (owner !== undefined) {
      throw new Refusal(`${resource}: ${what} (id ${id}) is already managed by ${printable(owner)} in this stack; one DefectDojo object, one resource. If this is a rename, list the old name in metadata.renamedFrom`);
    }
  }

  /** Forgets a deleted object, so that a later create may claim the id again. */
  release(table: OwnedTable, id: number): void {
    this.owners.delete(`${table}/${id}`);
    this.adoptedHere.delete(`${table}/${id}`);
  }
}
