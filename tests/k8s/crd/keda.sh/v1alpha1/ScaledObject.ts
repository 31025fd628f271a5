// KEDA's ScaledObject (keda.sh/v1alpha1), the fields of its CRD that the
// generator may write (keda.sh/docs/latest/reference/scaledobject-spec/,
// concepts/scaling-deployments/): no index signatures, so that tsc's
// excess-property check rejects any other field.
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

export interface IScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name: string;
  envSourceContainerName?: string;
}

export interface IAuthenticationRef {
  name: string;
  kind?: "TriggerAuthentication" | "ClusterTriggerAuthentication";
}

// The kafka scaler's metadata (keda.sh/docs/latest/scalers/apache-kafka/);
// KEDA reads every value as a string.
export interface IKafkaTriggerMetadata {
  bootstrapServers: string;
  consumerGroup: string;
  topic?: string;
  lagThreshold?: string;
  activationLagThreshold?: string;
  offsetResetPolicy?: "latest" | "earliest";
  allowIdleConsumers?: "true" | "false";
  scaleToZeroOnInvalidOffset?: "true" | "false";
  excludePersistentLag?: "true" | "false";
  limitToPartitionsWithLag?: "true" | "false";
  version?: string;
  partitionLimitation?: string;
}

export interface IScaleTrigger {
  type: "kafka";
  name?: string;
  metadata: IKafkaTriggerMetadata;
  authenticationRef?: IAuthenticationRef;
  metricType?: "AverageValue" | "Value" | "Utilization";
}

export interface IScaledObject {
  apiVersion: "keda.sh/v1alpha1";
  kind: "ScaledObject";
  metadata: IObjectMeta;
  spec: {
    scaleTargetRef: IScaleTargetRef;
    pollingInterval?: number;
    cooldownPeriod?: number;
    initialCooldownPeriod?: number;
    idleReplicaCount?: number;
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers: IScaleTrigger[];
  };
}
