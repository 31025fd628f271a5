// The runtime half of the KEDA types next to this file: the required
// fields and their types, which kubernetes-models cannot check for a CRD.
// Each class validates like a kubernetes-models one: validate() throws.
const isStr = (v) => typeof v === 'string' && v.length > 0;
const isInt = (v) => Number.isInteger(v) && v >= 0;

function need(cond, what) {
  if (!cond) throw new Error(what);
}

function meta(o) {
  need(o.metadata && isStr(o.metadata.name), 'metadata.name: a name is required');
  need(o.spec && typeof o.spec === 'object', 'spec: required');
}

export class ScaledObject {
  constructor(o) { this.o = o; }
  validate() {
    const o = this.o, s = o.spec;
    meta(o);
    need(s.scaleTargetRef && isStr(s.scaleTargetRef.name), 'spec.scaleTargetRef.name: required');
    for (const k of ['minReplicaCount', 'maxReplicaCount', 'pollingInterval', 'cooldownPeriod'])
      need(s[k] === undefined || isInt(s[k]), `spec.${k}: a whole number`);
    need(s.minReplicaCount === undefined || s.maxReplicaCount === undefined ||
      s.minReplicaCount <= s.maxReplicaCount, 'spec.maxReplicaCount: below minReplicaCount');
    need(Array.isArray(s.triggers) && s.triggers.length > 0, 'spec.triggers: at least one');
    s.triggers.forEach((t, i) => {
      need(isStr(t.type), `spec.triggers[${i}].type: required`);
      need(t.metadata && typeof t.metadata === 'object', `spec.triggers[${i}].metadata: required`);
      for (const [k, v] of Object.entries(t.metadata))
        need(typeof v === 'string', `spec.triggers[${i}].metadata.${k}: a string`);
      if (t.type === 'kafka')
        for (const k of ['bootstrapServers', 'consumerGroup'])
          need(isStr(t.metadata[k]), `spec.triggers[${i}].metadata.${k}: required`);
      need(t.authenticationRef === undefined || isStr(t.authenticationRef.name),
        `spec.triggers[${i}].authenticationRef.name: required`);
    });
  }
}

export class TriggerAuthentication {
  constructor(o) { this.o = o; }
  validate() {
    const o = this.o;
    meta(o);
    (o.spec.secretTargetRef || []).forEach((r, i) => {
      for (const k of ['parameter', 'name', 'key'])
        need(isStr(r[k]), `spec.secretTargetRef[${i}].${k}: required`);
    });
  }
}
