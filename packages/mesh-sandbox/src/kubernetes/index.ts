export { startKubernetesApiServer } from './kubernetesApiServer';
export type { KubernetesApiServer, KubernetesApiServerOptions } from './kubernetesApiServer';
export { buildAdrCluster, scaleIstioObjects } from './adrCluster';
export { SERVED_RESOURCES } from './types';
export type { KubeObject, ServedResource } from './types';
export { buildCertManagerObjects, SANDBOX_CLUSTER_ISSUER } from './certManager';
