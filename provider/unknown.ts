/** Pulumi's placeholder for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(UNKNOWN);
}
