import { ServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ServiceAccount } from 'kubernetes-models/v1';
import { kongTag, objectMeta } from './common';
import { nameWithSuffix, yamlFile } from './serialize';
import { GeneratedFile } from './types';

/** A CronJob name leaves room for the 11 characters the Job controller appends. */
const CRONJOB_NAME_MAX = 52;

export function backupName(spec: ServiceSpec): string {
  return nameWithSuffix(spec.name, 'kong-backup', CRONJOB_NAME_MAX);
}

export function backupServiceAccount(spec: ServiceSpec) {
  return new ServiceAccount({
    metadata: objectMeta(spec, backupName(spec), {
      ...(spec.backup.roleArn
        ? { annotations: { 'eks.amazonaws.com/role-arn': spec.backup.roleArn } }
        : {}),
    }),
    automountServiceAccountToken: false,
  }).toJSON();
}

const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * Dumps the service's Kong entities with `deck gateway dump` (`deck dump` is deprecated and
 * writes a warning into its output) and copies the file to object storage.
 */
export function backupCronJob(spec: ServiceSpec) {
  const name = backupName(spec);
  const backup = spec.backup;
  const mounts = [
    { name: 'backup', mountPath: '/backup' },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  return new CronJob({
    metadata: objectMeta(spec, name),
    spec: {
      schedule: backup.schedule,
      timeZone: backup.timeZone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 1800,
          template: {
            metadata: {
              labels: { app: name, 'backstage.io/kubernetes-id': spec.name },
              // The sidecar runs as a native sidecar, so the Job completes when the upload ends.
              annotations: { 'sidecar.istio.io/nativeSidecar': 'true' },
            },
            spec: {
              serviceAccountName: name,
              restartPolicy: 'Never',
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                fsGroup: 65532,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              initContainers: [
                {
                  name: 'dump',
                  image: backup.deckImage,
                  args: [
                    'gateway',
                    'dump',
                    '--kong-addr',
                    '$(KONG_ADMIN_URL)',
                    '--select-tag',
                    kongTag(spec),
                    '--output-file',
                    '/backup/kong.yaml',
                    '--yes',
                  ],
                  env: [
                    { name: 'KONG_ADMIN_URL', value: backup.kongAdminUrl },
                    { name: 'HOME', value: '/tmp' },
                  ],
                  volumeMounts: mounts,
                  securityContext: containerSecurity,
                  resources: {
                    requests: { cpu: '50m', memory: '64Mi' },
                    limits: { memory: '256Mi' },
                  },
                },
              ],
              containers: [
                {
                  name: 'upload',
                  image: backup.uploaderImage,
                  command: ['/bin/sh', '-ec'],
                  args: [
                    'aws s3 cp /backup/kong.yaml "s3://${BACKUP_BUCKET}/${BACKUP_PREFIX}/kong-$(date -u +%Y%m%dT%H%M%SZ).yaml"',
                  ],
                  env: [
                    { name: 'BACKUP_BUCKET', value: backup.bucket },
                    { name: 'BACKUP_PREFIX', value: backup.prefix },
                    ...(backup.region
                      ? [{ name: 'AWS_REGION', value: backup.region }]
                      : []),
                    { name: 'HOME', value: '/tmp' },
                  ],
                  volumeMounts: mounts,
                  securityContext: containerSecurity,
                  resources: {
                    requests: { cpu: '50m', memory: '128Mi' },
                    limits: { memory: '512Mi' },
                  },
                },
              ],
              volumes: [
                { name: 'backup', emptyDir: { sizeLimit: '64Mi' } },
                { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              ],
            },
          },
        },
      },
    },
  }).toJSON();
}

/** The runbook: how to find a dump and restore it. */
export function restoreRunbook(spec: ServiceSpec): string {
  const tag = kongTag(spec);
  const location = `s3://${spec.backup.bucket}/${spec.backup.prefix}/`;
  const deckTarget =
    spec.kong.mode === 'deck'
      ? 'kong/kong.yaml in this repository is the desired state; the dump is what Kong actually ran.'
      : 'In kic mode the Kong Ingress Controller owns these entities: restore the Kubernetes resources in kong/kic/ instead, and use the dump only to compare.';
  return `# Restoring the Kong configuration of ${spec.name}

The CronJob \`${backupName(spec)}\` (namespace \`${spec.namespace}\`, schedule
\`${spec.backup.schedule}\` ${spec.backup.timeZone}) dumps every Kong entity tagged \`${tag}\` with
\`deck gateway dump --select-tag ${tag}\` and copies it to \`${location}\`, one file per run
(\`kong-<UTC timestamp>.yaml\`).

${deckTarget}

## 1. Find the dump

\`\`\`sh
aws s3 ls ${location}
aws s3 cp ${location}kong-<timestamp>.yaml ./kong-restore.yaml
\`\`\`

## 2. See what would change

\`\`\`sh
deck gateway diff ./kong-restore.yaml --kong-addr <Kong Admin API> --select-tag ${tag}
\`\`\`

The file carries \`_info.select_tags: [${tag}]\`, so decK touches only this service's entities.

## 3. Restore

\`\`\`sh
deck gateway sync ./kong-restore.yaml --kong-addr <Kong Admin API> --select-tag ${tag}
\`\`\`

If the dump holds the edge certificate's private key, delete the local file afterwards.

## 4. Check

- \`deck gateway diff\` against \`kong/kong.yaml\` shows no difference (deck mode).
- The service's Mesh tab in Backstage shows its routes and plugins with no critical finding.
- Run the CronJob once by hand to confirm backups work again:
  \`kubectl -n ${spec.namespace} create job --from=cronjob/${backupName(spec)} ${nameWithSuffix(spec.name, 'kong-backup-manual', 63)}\`.
`;
}

export function backupFiles(spec: ServiceSpec): GeneratedFile[] {
  if (!spec.backup.enabled) {
    return [];
  }
  return [
    yamlFile('backup/serviceaccount.yaml', [backupServiceAccount(spec)]),
    yamlFile('backup/cronjob.yaml', [backupCronJob(spec)]),
    { path: 'backup/RESTORE.md', content: restoreRunbook(spec) },
  ];
}
