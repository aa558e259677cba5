/**
 * What every kind's logic offers: the six operations a Pulumi provider performs, in plain terms.
 * The dynamic provider (provider/dynamic) and the plugin (provider/native) both call exactly these;
 * neither face's interface is known here. Parameters are each kind's own input and output shapes
 * (hence `object` and the method syntax, which TypeScript checks bivariantly); the faces pass on
 * what the engine sent, as Pulumi's own provider interfaces do with `any`.
 */
export interface ResourceLogic {
  check(olds: object, news: object): Promise<{ inputs?: object; failures?: Array<{ property: string; reason: string }> }>;
  diff(id: string, olds: object, news: object): Promise<{ changes?: boolean; replaces?: string[]; stables?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: object): Promise<{ id: string; outs?: object }>;
  read(id: string, props: object): Promise<{ id?: string; props?: object; inputs?: object }>;
  update(id: string, olds: object, news: object): Promise<{ outs?: object }>;
  delete(id: string, props: object): Promise<void>;
}
