import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Generates the configuration of the architecture documents for a service: every value not given is the baseline (30 s timeouts, 3 retries, STRICT mTLS, 3-20 replicas, ...).',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate the Kong and Istio configuration',
          input: {
            name: 'ai-agent',
            namespace: 'parallel-ai',
            owner: 'group:default/platform',
            auth: { issuer: 'https://auth.example.com' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Kong Ingress Controller resources (KongPlugins, Ingress, Service) instead of a decK file, served on a public host with a cert-manager certificate.',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate KIC configuration',
          input: {
            name: 'analytics',
            namespace: 'parallel-ai',
            owner: 'group:default/data',
            system: 'parallel-ai',
            hosts: ['analytics.example.com'],
            auth: {
              issuer: 'https://auth.example.com',
              audiences: ['https://analytics.example.com'],
              jwksUri: 'https://auth.example.com/.well-known/jwks.json',
            },
            kong: { mode: 'kic', ingressClass: 'kong' },
            certificate: {
              issuerKind: 'ClusterIssuer',
              issuerName: 'letsencrypt',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'An API key instead of a JWT, a rate limit, and two more callers allowed in the mesh; the departures from the baseline are output as acceptedFindings.',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate with key-auth',
          input: {
            name: 'user',
            namespace: 'parallel-ai',
            owner: 'group:default/identity',
            routes: [
              {
                name: 'users',
                path: '/api/v1/users',
                methods: ['GET', 'POST', 'PUT'],
              },
              {
                name: 'health',
                path: '/api/v1/users/health',
                methods: ['GET'],
              },
            ],
            auth: { type: 'key-auth', keyNames: ['x-api-key'] },
            rateLimit: { enabled: true, minute: 1200, limitBy: 'consumer' },
            callers: ['parallel-ai/ai-agent', 'parallel-ai/analytics'],
            requestHeaders: [{ name: 'x-team', value: 'identity' }],
          },
        },
      ],
    }),
  },
  {
    description:
      'Custom resilience, SLO and scaling: a 10 s timeout with 2 retries (the per-try timeout is derived so all tries fit), 99.9% availability, 2-10 replicas, no tier routing.',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate with custom resilience',
          input: {
            name: 'search',
            namespace: 'search',
            owner: 'group:default/search',
            port: 9090,
            auth: { issuer: 'https://login.example.com/realms/main' },
            tiers: { enabled: false },
            resilience: {
              timeoutSeconds: 10,
              retries: 2,
              outlierDetection: { consecutive5xxErrors: 3 },
            },
            slo: { availability: 0.999, endToEndP95Ms: 250 },
            autoscaling: {
              minReplicas: 2,
              maxReplicas: 10,
              cpuUtilization: 60,
            },
            observability: { tracingSampling: 0.05 },
          },
        },
      ],
    }),
  },
  {
    description:
      'Writes into a sub-folder of the workspace and keeps the Kong backup in a given bucket and region, with an IAM role for the backup ServiceAccount.',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate into deploy/',
          input: {
            name: 'billing',
            namespace: 'billing',
            owner: 'group:default/finance',
            auth: { issuer: 'https://auth.example.com' },
            backup: {
              schedule: '30 1 * * *',
              bucket: 'finance-kong-backups',
              region: 'eu-west-1',
              roleArn: 'arn:aws:iam::123456789012:role/kong-backup',
            },
            targetPath: 'deploy',
          },
        },
      ],
    }),
  },
];
