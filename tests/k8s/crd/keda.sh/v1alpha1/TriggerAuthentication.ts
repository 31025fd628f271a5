// KEDA's TriggerAuthentication (keda.sh/v1alpha1), the parameters taken
// from Secrets (keda.sh/docs/latest/concepts/authentication/): no index
// signatures, so that tsc rejects any other field.
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

export interface ISecretTargetRef {
  parameter: string;
  name: string;
  key: string;
}

export interface ITriggerAuthentication {
  apiVersion: "keda.sh/v1alpha1";
  kind: "TriggerAuthentication";
  metadata: IObjectMeta;
  spec: {
    secretTargetRef?: ISecretTargetRef[];
  };
}
